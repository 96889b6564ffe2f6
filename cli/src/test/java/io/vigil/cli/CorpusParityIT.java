package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.app.scan.OfflineScan;
import io.vigil.ingest.kinesis.KinesisLocal;
import io.vigil.schemas.Alert;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.S3ProxyEmulator;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real corpus through the running pipeline gives exactly {@code vigil scan}'s alerts and counts:
 * the 55 Invictus CloudTrail delivery files (2023), after a newer corpus (the Stratus Red Team
 * detonations, 2024) has moved stream time a year ahead, so that the Invictus logs arrive as a
 * backfill behind it: through the inbox of {@code vigil run}, through {@code vigil ingest s3://...
 * --from --to} from S3Proxy into the running pipeline's broker, and through a Kinesis stream
 * (kinesis-local) in CloudWatch Logs subscription records. The scan reads the same files.
 */
class CorpusParityIT {

  @RegisterExtension static final KinesisLocal KINESIS = new KinesisLocal();

  @TempDir Path dataDir;

  @Test
  void theInboxOfARunningPipelineCountsWhatTheScanCountsAlsoBehindNewerLogs() throws Exception {
    List<Path> newer = newerCorpus();
    List<Path> invictus = invictusCorpus();
    assertThat(invictus).hasSize(55);
    List<Path> all = concat(newer, invictus);

    VigilConfig config = config();
    Map<String, String> expected = summary(ScanOf.alerts(config, all));
    assertThat(expected).as("the corpus raises alerts").hasSizeGreaterThan(20);

    Map<String, Alert> published = new HashMap<>();
    try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      try (KafkaConsumer<String, Alert> alerts = alertConsumer(runtime)) {
        drop(newer, "newer");
        awaitDone(newer.size());
        drop(invictus, "invictus");
        awaitDone(newer.size() + invictus.size());
        drainUntil(alerts, published, p -> summary(p).equals(expected), Duration.ofSeconds(240));
      }
    }
    assertThat(summary(published)).isEqualTo(expected);
  }

  @Test
  void anS3BackfillIntoARunningPipelineCountsWhatTheScanCounts() throws Exception {
    List<Path> newer = newerCorpus();
    List<Path> invictus = invictusCorpus();
    List<Path> all = concat(newer, invictus);
    VigilConfig config = config();
    Map<String, String> expected = summary(ScanOf.alerts(config, all));

    Map<String, Alert> published = new HashMap<>();
    try (S3ProxyEmulator emulator = S3ProxyEmulator.start();
        S3Client s3 = S3ProxyAccess.client(emulator.endpoint());
        VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
      s3.createBucket(b -> b.bucket("trail"));
      for (Path file : invictus) {
        // The delivery layout: AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<file>.
        String name = file.getFileName().toString();
        String account = name.substring(0, name.indexOf('_'));
        String day = name.replaceAll(".*_(\\d{4})(\\d{2})(\\d{2})T.*", "$1/$2/$3");
        s3.putObject(
            b ->
                b.bucket("trail")
                    .key("AWSLogs/" + account + "/CloudTrail/us-east-1/" + day + "/" + name),
            RequestBody.fromFile(file));
      }
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      try (KafkaConsumer<String, Alert> alerts = alertConsumer(runtime)) {
        drop(newer, "newer");
        awaitDone(newer.size());
        StringWriter err = new StringWriter();
        String[] args =
            S3ProxyAccess.ingestArgs(
                dataDir,
                emulator.endpoint(),
                "s3://trail/AWSLogs/",
                "--from",
                "2023-07-01",
                "--to",
                "2023-07-31");
        int code =
            S3ProxyAccess.withCredentials(
                () ->
                    VigilCommand.execute(
                        args,
                        Map.of(),
                        new PrintWriter(Writer.nullWriter()),
                        new PrintWriter(err, true)));
        assertThat(code).as(err.toString()).isZero();
        drainUntil(alerts, published, p -> summary(p).equals(expected), Duration.ofSeconds(240));
      }
    }
    assertThat(summary(published)).isEqualTo(expected);
  }

  @Test
  void aKinesisStreamOfCloudWatchLogsRecordsCountsWhatTheScanCounts() throws Exception {
    List<Path> newer = newerCorpus();
    List<Path> invictus = invictusCorpus();
    List<Path> all = concat(newer, invictus);
    String stream = "cloudtrail-" + UUID.randomUUID().toString().substring(0, 8);
    KINESIS.createStream(stream, 2);
    Map<String, String> settings = new HashMap<>(settings());
    settings.put("ingest.kinesis.stream", stream);
    settings.put("aws.region", KinesisLocal.REGION);
    settings.put("aws.kinesis.endpoint", KINESIS.endpoint().toString());
    VigilConfig config = VigilConfig.load(Optional.empty(), Map.of(), settings);
    Map<String, String> expected = summary(ScanOf.alerts(config, all));

    Map<String, Alert> published = new HashMap<>();
    S3ProxyAccess.withCredentials(
        () -> {
          try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all());
              KafkaConsumer<String, Alert> alerts = alertConsumer(runtime)) {
            assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60)))
                .isEqualTo(200);
            drop(newer, "newer");
            awaitDone(newer.size());
            int n = 0;
            for (Path file : invictus) {
              String key = "pk-" + (n++);
              SdkBytes data = SdkBytes.fromByteArray(CloudWatchLogsRecords.of(file));
              KINESIS.client().putRecord(r -> r.streamName(stream).partitionKey(key).data(data));
            }
            drainUntil(
                alerts, published, p -> summary(p).equals(expected), Duration.ofSeconds(240));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return 0;
        });
    assertThat(summary(published)).isEqualTo(expected);
  }

  /** The Stratus Red Team detonations (2024): the corpus that moves stream time ahead. */
  private static List<Path> newerCorpus() throws IOException {
    List<Path> files = OfflineScan.files(List.of(TestData.path("stratus_red_team/docs")));
    files.removeIf(p -> !p.toString().endsWith(".json"));
    return files;
  }

  /** The Invictus CloudTrail delivery files (2023). */
  private static List<Path> invictusCorpus() throws IOException {
    List<Path> files = OfflineScan.files(List.of(TestData.path("invictus_aws_dataset")));
    files.removeIf(p -> !p.getFileName().toString().contains("_CloudTrail_"));
    return files;
  }

  private static List<Path> concat(List<Path> first, List<Path> then) {
    List<Path> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  private VigilConfig config() {
    return VigilConfig.load(Optional.empty(), Map.of(), settings());
  }

  private Map<String, String> settings() {
    return Map.of(
        "data.dir", dataDir.toString(),
        "kafka.embedded.port", "0",
        "http.port", "0",
        "http.host", "127.0.0.1",
        "topics.partitions", "3",
        // Held-back updates go out after 5 s instead of a minute: the final counts come sooner.
        "alerts.update.interval", "5s");
  }

  /** Copies the files into the inbox, each staged beside it and moved in whole. */
  private void drop(List<Path> files, String prefix) throws Exception {
    Path inbox = dataDir.resolve("inbox");
    int n = 0;
    for (Path file : files) {
      String name = prefix + "-" + (n++) + "-" + file.getFileName();
      Path staged = dataDir.resolve(name);
      Files.copy(file, staged);
      Files.move(staged, inbox.resolve(name));
    }
  }

  /** Waits until the inbox has moved {@code count} files to done/. */
  private void awaitDone(int count) throws Exception {
    Path done = dataDir.resolve("inbox").resolve("done");
    long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < end) {
      if (Files.isDirectory(done)) {
        try (var listing = Files.list(done)) {
          if (listing.count() >= count) {
            return;
          }
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the inbox did not take " + count + " files");
  }

  private static KafkaConsumer<String, Alert> alertConsumer(VigilRuntime runtime) {
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    Properties props = new Properties();
    props.putAll(runtime.kafka().clientProperties());
    props.put("group.id", "parity-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("isolation.level", "read_committed");
    KafkaConsumer<String, Alert> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), topics.alerts().valueSerde().deserializer());
    consumer.subscribe(List.of(topics.alerts().name()));
    return consumer;
  }

  private static void drainUntil(
      KafkaConsumer<String, Alert> consumer,
      Map<String, Alert> published,
      Predicate<Map<String, Alert>> done,
      Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!done.test(published) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(500))) {
        published.put(record.key(), record.value());
      }
    }
  }

  /**
   * What must agree, by dedup key: rule, entity, count, first and last event time. Posture alerts
   * are left out: the pipeline keeps posture, a scan does not.
   */
  private static Map<String, String> summary(Map<String, Alert> alerts) {
    Map<String, String> summary = new TreeMap<>();
    alerts.forEach(
        (key, alert) -> {
          if (!"posture".equals(String.valueOf(alert.getSource()))) {
            summary.put(
                key,
                alert.getRuleId()
                    + " "
                    + alert.getEntity()
                    + " count="
                    + alert.getCount()
                    + " "
                    + alert.getFirstSeen()
                    + ".."
                    + alert.getLastSeen());
          }
        });
    return summary;
  }
}
