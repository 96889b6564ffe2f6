package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.SourceType;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code vigil dlq} against a real broker, on a dead-letter topic of its own. */
@ExtendWith(InProcessKafkaExtension.class)
class DlqCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.now();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private String bootstrap;
  private String topic;

  @BeforeEach
  void deadLetters(KafkaCluster kafka) throws Exception {
    bootstrap = kafka.bootstrapServers();
    topic = "dlq-it-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    VigilTopics topics =
        VigilTopics.create(Map.of(VigilTopics.DLQ, topic), SerdeFactory.fromSettings(Map.of()));
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      var serializer = topics.dlq().valueSerde().serializer();
      List<Rejected> letters =
          List.of(
              rejected(
                  "json_invalid",
                  "file:/logs/a.json#line=3",
                  NOW.minus(Duration.ofDays(3)),
                  "old news"),
              rejected(
                  "json_invalid",
                  "file:/logs/b.json#line=7",
                  NOW.minus(Duration.ofHours(2)),
                  "unexpected '}' at column 9"),
              rejected(
                  "record_too_large",
                  "s3://logs/big.json.gz#record=1",
                  NOW.minus(Duration.ofHours(1)),
                  "2 MiB record"),
              rejected(
                  "sink_fatal_400",
                  "alerts/0@12",
                  NOW.minus(Duration.ofMinutes(5)),
                  "receiver answered 400"));
      int i = 0;
      for (Rejected letter : letters) {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    i++ % 2,
                    letter.getRejectedAt().toEpochMilli(),
                    letter.getSourceLocation(),
                    serializer.serialize(topic, letter)))
            .get();
      }
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  0,
                  NOW.toEpochMilli(),
                  "junk",
                  "not a dead letter".getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }

  private static Rejected rejected(String reason, String location, Instant at, String message) {
    byte[] raw = ("bytes of " + location).getBytes(StandardCharsets.UTF_8);
    return Rejected.newBuilder()
        .setReason(reason)
        .setMessage(message)
        .setSourceType(SourceType.file)
        .setSourceLocation(location)
        .setRejectedAt(at)
        .setRaw(ByteBuffer.wrap(raw))
        .setRawSize(raw.length)
        .setComponent(reason.startsWith("sink") ? "sinks.hook" : "ingest.decoder")
        .build();
  }

  private int vigil(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "dlq";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--bootstrap-servers";
    all[args.length + 2] = bootstrap;
    all[args.length + 3] = "--set";
    all[args.length + 4] = "topics.dlq=" + topic;
    return VigilCommand.execute(
        all, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void theLastDayIsListedOldestFirstAndAJunkValueIsReportedNotThrown() {
    assertThat(vigil()).isZero();

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .contains("json_invalid")
        .contains("ingest.decoder")
        .contains("file:/logs/b.json#line=7")
        .contains("unexpected '}' at column 9");
    assertThat(lines.get(1))
        .contains("record_too_large")
        .contains("s3://logs/big.json.gz#record=1");
    assertThat(lines.get(2)).contains("sink_fatal_400").contains("sinks.hook");
    assertThat(err.toString())
        .contains("3 dead letter(s) since")
        .contains("undecodable dead letter 0@");
  }

  @Test
  void reasonsSinceAndLimitNarrowTheList() {
    assertThat(vigil("--since", "7d", "--reason", "json_*", "--limit", "1")).isZero();

    assertThat(out.toString().lines().toList())
        .singleElement()
        .asString()
        .contains("file:/logs/b.json#line=7");
    assertThat(err.toString()).contains("2 dead letter(s)").contains("the newest 1 shown");
  }

  @Test
  void jsonLinesCarryTheWholeRecordWithItsBytes() throws Exception {
    assertThat(vigil("--json", "--reason", "record_too_large")).isZero();

    JsonNode letter = JSON.readTree(out.toString().lines().findFirst().orElseThrow());
    assertThat(letter.get("reason").asText()).isEqualTo("record_too_large");
    assertThat(letter.get("source_location").asText()).isEqualTo("s3://logs/big.json.gz#record=1");
    assertThat(
            new String(
                Base64.getDecoder().decode(letter.get("raw").asText()), StandardCharsets.UTF_8))
        .isEqualTo("bytes of s3://logs/big.json.gz#record=1");
    assertThat(letter.get("topic_position").asText()).matches("[01]@\\d+");
  }

  @Test
  void theSummaryCountsByReasonAndComponent() {
    assertThat(vigil("--summary", "--since", "30d")).isZero();

    assertThat(out.toString().lines().toList())
        .containsExactly(
            "       2  json_invalid  ingest.decoder",
            "       1  record_too_large  ingest.decoder",
            "       1  sink_fatal_400  sinks.hook");
  }

  @Test
  void aBadSinceIsAUsageError() {
    assertThat(vigil("--since", "yesterday")).isEqualTo(2);
    assertThat(err.toString()).contains("--since").contains("yesterday");
  }
}
