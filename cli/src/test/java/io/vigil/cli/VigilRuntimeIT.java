package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code vigil run} wiring on the embedded broker, in this JVM. */
class VigilRuntimeIT {

  static final Set<String> DEFAULT_TOPICS =
      Set.of(
          "vigil.cloudtrail",
          "vigil.vpcflow",
          "vigil.alerts",
          "vigil.aggregates",
          "vigil.posture",
          "vigil.dlq");

  @TempDir Path dataDir;

  @Test
  void embeddedRunCreatesTopicsBecomesReadyAndServesKafkaStreamsMetrics() throws Exception {
    try (VigilRuntime runtime = VigilRuntime.start(embeddedConfig(), PipelineComponents.all())) {
      assertThat(runtime.kafka().embedded()).isTrue();
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      assertThat(HttpProbe.get(runtime.httpPort(), "/health").statusCode()).isEqualTo(200);

      try (Admin admin = Admin.create(runtime.kafka().clientProperties())) {
        assertThat(admin.listTopics().names().get()).containsAll(DEFAULT_TOPICS);
        // Alerts of backfilled logs carry old event times: retention must count from writing.
        var alertsTopic =
            new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "vigil.alerts");
        assertThat(
                admin
                    .describeConfigs(List.of(alertsTopic))
                    .all()
                    .get()
                    .get(alertsTopic)
                    .get("message.timestamp.type")
                    .value())
            .isEqualTo("LogAppendTime");
      }
      String metrics = HttpProbe.get(runtime.httpPort(), "/metrics").body();
      assertThat(metrics).contains("kafka_stream_").contains("jvm_memory_used_bytes");
      assertThat(HttpProbe.get(runtime.httpPort(), "/nothing-here").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void recordWrittenBeforeARestartOnTheSameDataDirIsStillThere() throws Exception {
    String marker = "kept-" + UUID.randomUUID();
    try (VigilRuntime runtime = VigilRuntime.start(embeddedConfig(), PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(props(runtime), new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("vigil.dlq", "restart-test", marker)).get();
      }
    }
    try (VigilRuntime runtime = VigilRuntime.start(embeddedConfig(), PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      assertThat(readValues(runtime, "vigil.dlq")).contains(marker);
    }
  }

  @Test
  void orderlyStopLeavesTheConsumerGroupSoThatARestartNeedNotWaitForASessionTimeout()
      throws Exception {
    VigilConfig config = embeddedConfig();
    try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      try (Admin admin = Admin.create(runtime.kafka().clientProperties())) {
        assertThat(members(admin)).isOne();
        runtime.components().stream()
            .filter(c -> c.name().equals("aggregates"))
            .findFirst()
            .orElseThrow()
            .close();
        assertThat(members(admin)).isZero();
      }
    }
  }

  private static int members(Admin admin) throws Exception {
    return admin
        .describeConsumerGroups(List.of("vigil-aggregates"))
        .all()
        .get()
        .get("vigil-aggregates")
        .members()
        .size();
  }

  @Test
  void readyTurnsUnavailableOnceTheRuntimeIsClosing() throws Exception {
    VigilRuntime runtime = VigilRuntime.start(embeddedConfig(), List.of());
    assertThat(runtime.health().ready()).isTrue();
    runtime.close();
    assertThat(runtime.health().ready()).isFalse();
    assertThat(runtime.health().detail()).contains("shutting down");
  }

  @Test
  void logFileDroppedInTheInboxFlowsThroughIngestAndDetectionToAnAlert() throws Exception {
    try (VigilRuntime runtime = VigilRuntime.start(embeddedConfig(), PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      Path inbox = dataDir.resolve("inbox");
      Path stratus =
          TestData.path(
              "stratus_red_team/docs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json");
      // Written beside the inbox, then moved in: the watcher must never see half a file.
      Path staged = dataDir.resolve("staged.json");
      java.nio.file.Files.copy(stratus, staged);
      java.nio.file.Files.move(staged, inbox.resolve("cloudtrail-stop.json"));

      io.vigil.schemas.VigilTopics topics =
          io.vigil.schemas.VigilTopics.defaults(
              io.vigil.schemas.SerdeFactory.fromSettings(Map.of()));
      Properties props = props(runtime);
      props.put("group.id", "it-" + UUID.randomUUID());
      props.put("auto.offset.reset", "earliest");
      props.put("isolation.level", "read_committed");
      List<io.vigil.schemas.Alert> alerts = new ArrayList<>();
      try (KafkaConsumer<String, io.vigil.schemas.Alert> consumer =
          new KafkaConsumer<>(
              props, new StringDeserializer(), topics.alerts().valueSerde().deserializer())) {
        consumer.subscribe(List.of(topics.alerts().name()));
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (alerts.stream()
                .noneMatch(a -> a.getRuleId().equals("aws-cloudtrail-logging-disabled"))
            && System.nanoTime() < end) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> alerts.add(r.value()));
        }
      }
      assertThat(alerts)
          .extracting(io.vigil.schemas.Alert::getRuleId)
          .contains("aws-cloudtrail-logging-disabled");
      assertThat(inbox.resolve("done").resolve("cloudtrail-stop.json")).exists();
      String metrics = HttpProbe.get(runtime.httpPort(), "/metrics").body();
      assertThat(metrics).contains("vigil_ingest_records_total");

      // The read API over the same state: the alert, and the trail's posture.
      assertThat(
              awaitBody(
                  runtime.httpPort(),
                  "/api/alerts?rule=aws-cloudtrail-logging-disabled",
                  "\"severity\":\"critical\""))
          .contains("aws-cloudtrail-logging-disabled");
      String failing =
          awaitBody(
              runtime.httpPort(), "/api/posture?failing=true", "posture-cloudtrail-not-logging");
      String arn =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(failing)
              .get("resources")
              .get(0)
              .get("arn")
              .asText();
      var one =
          HttpProbe.get(
              runtime.httpPort(),
              "/api/posture/"
                  + java.net.URLEncoder.encode(arn, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(one.body()).contains(arn);
      assertThat(
              HttpProbe.get(runtime.httpPort(), "/api/posture/arn:aws:s3:::no-such-bucket")
                  .statusCode())
          .isEqualTo(404);
      assertThat(HttpProbe.get(runtime.httpPort(), "/api/aggregates?window=7m").statusCode())
          .isEqualTo(400);
      assertThat(
              HttpProbe.get(
                      runtime.httpPort(),
                      "/api/aggregates?window=1h&from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z")
                  .body())
          .contains("cloudtrail.events");

      // The compliance report, served and built by the CLI against the same embedded broker.
      String period = "from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z";
      JsonNode served =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(HttpProbe.get(runtime.httpPort(), "/api/reports/cis-aws?" + period).body());
      assertThat(controlStatus(served, "4.5")).isEqualTo("failing");
      assertThat(controlStatus(served, "4.3")).isEqualTo("passing");
      assertThat(
              HttpProbe.get(runtime.httpPort(), "/api/reports/cis-aws?format=html&" + period)
                  .body())
          .contains("<html");
      assertThat(HttpProbe.get(runtime.httpPort(), "/api/reports/iso-27001").statusCode())
          .isEqualTo(404);

      Path report = dataDir.resolve("report.json");
      int code =
          VigilCommand.execute(
              new String[] {
                "report",
                "--framework",
                "cis-aws",
                "--format",
                "json",
                "--data-dir",
                dataDir.toString(),
                "--from",
                "2020-01-01T00:00:00Z",
                "--to",
                "2030-01-01T00:00:00Z",
                "--output",
                report.toString()
              },
              Map.of(),
              new java.io.PrintWriter(java.io.Writer.nullWriter()),
              new java.io.PrintWriter(java.io.Writer.nullWriter()));
      assertThat(code).isZero();
      assertThat(
              controlStatus(
                  new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile()),
                  "4.5"))
          .isEqualTo("failing");
    }
  }

  private static String controlStatus(JsonNode report, String control) {
    for (JsonNode c : report.get("controls")) {
      if (c.get("id").asText().equals(control)) {
        return c.get("status").asText();
      }
    }
    throw new AssertionError("no control " + control + " in " + report);
  }

  /** Polls {@code path} until its body contains {@code expected} (state arrives asynchronously). */
  private static String awaitBody(int port, String path, String expected)
      throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String body = "";
    while (System.nanoTime() < end) {
      var response = HttpProbe.get(port, path);
      body = response == null ? "" : response.body();
      if (response != null && response.statusCode() == 200 && body.contains(expected)) {
        return body;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(path + " never contained " + expected + "; last body: " + body);
  }

  private VigilConfig embeddedConfig() {
    return VigilConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            "data.dir", dataDir.toString(),
            "kafka.embedded.port", "0",
            "http.port", "0",
            "http.host", "127.0.0.1",
            "topics.partitions", "1"));
  }

  private static Properties props(VigilRuntime runtime) {
    Properties props = new Properties();
    props.putAll(runtime.kafka().clientProperties());
    return props;
  }

  private static List<String> readValues(VigilRuntime runtime, String topic) {
    Properties props = props(runtime);
    props.put("group.id", "it-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
