package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.app.runtime.IngestComponents;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.app.scan.OfflineScan;
import io.vigil.app.scan.ScanWorkers;
import io.vigil.schemas.Alert;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.io.PrintWriter;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A real corpus through the running pipeline's inbox gives exactly {@code vigil scan}'s alerts and
 * counts: the 55 Invictus CloudTrail delivery files (2023), dropped into the inbox of {@code vigil
 * run} after a newer corpus (the Stratus Red Team detonations, 2024) has moved stream time a year
 * ahead, so that the Invictus logs arrive as a backfill behind it. The scan reads the same files in
 * the same order.
 */
class CorpusParityIT {

  @TempDir Path dataDir;

  @Test
  void theInboxOfARunningPipelineCountsWhatTheScanCountsAlsoBehindNewerLogs() throws Exception {
    List<Path> newer = OfflineScan.files(List.of(TestData.path("stratus_red_team/docs")));
    List<Path> invictus = OfflineScan.files(List.of(TestData.path("invictus_aws_dataset")));
    newer.removeIf(p -> !p.toString().endsWith(".json"));
    invictus.removeIf(p -> !p.getFileName().toString().contains("_CloudTrail_"));
    assertThat(invictus).hasSize(55);
    List<Path> all = new ArrayList<>(newer);
    all.addAll(invictus);

    VigilConfig config = config();
    Map<String, String> expected = summary(scan(config, all));
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

  private VigilConfig config() {
    return VigilConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            "data.dir", dataDir.toString(),
            "kafka.embedded.port", "0",
            "http.port", "0",
            "http.host", "127.0.0.1",
            "topics.partitions", "3",
            // Held-back updates go out after 5 s instead of a minute: the final counts come sooner.
            "alerts.update.interval", "5s"));
  }

  /** What {@code vigil scan} gives for the files: the final publication of each alert. */
  private static Map<String, Alert> scan(VigilConfig config, List<Path> files)
      throws InterruptedException {
    DetectionSettings settings = DetectionConfig.settings(config, List.of());
    DetectionEngine engine = DetectionConfig.engine(config, settings, List.of());
    Map<String, Alert> alerts = new HashMap<>();
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    OfflineScan.scan(
        engine,
        settings,
        IngestComponents.decoder(config),
        files,
        alert -> {
          alerts.put(alert.getDedupKey(), alert);
          return "";
        },
        false,
        1,
        ScanWorkers.Bounds.forThreads(1),
        discard,
        discard);
    return alerts;
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
