package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.demo.Scenario;
import io.vigil.app.demo.Scenarios;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.schemas.Alert;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.HttpProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil demo} against {@code vigil run}'s runtime on the embedded broker, in this JVM: the
 * demo finds the running broker through the data directory, and every expected alert of every
 * scenario lands on {@code vigil.alerts}, on the first run and again on a second one.
 */
class DemoCommandIT {

  private static final String PHI_BUCKET = "patient-records-prod";

  @TempDir Path dataDir;

  @Test
  void demoRaisesEveryExpectedAlertAndASecondRunRaisesThemAgain() throws Exception {
    Set<String> expectedRules =
        Scenarios.all().stream().flatMap(s -> s.expect().stream()).collect(Collectors.toSet());
    int expectations = Scenarios.all().stream().mapToInt(s -> s.expect().size()).sum();
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data.dir",
                dataDir.toString(),
                "kafka.embedded.port",
                "0",
                "http.port",
                "0",
                "http.host",
                "127.0.0.1",
                "topics.partitions",
                "1",
                "sinks",
                "[]",
                "phi.buckets",
                PHI_BUCKET,
                // A rerun updates the alerts the first run opened; this lets the updates out at
                // once.
                "alerts.update.interval",
                "1s"));
    try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));

      StringWriter first = new StringWriter();
      assertThat(demo(first)).as(first.toString()).isZero();
      assertThat(first.toString()).contains("All " + expectations + " expected alerts seen");
      List<Alert> all = readAlerts(runtime, topics, Map.of());
      assertThat(all).extracting(Alert::getRuleId).containsAll(expectedRules);

      Map<TopicPartition, Long> afterFirst = endOffsets(runtime, topics);
      StringWriter second = new StringWriter();
      assertThat(demo(second)).as(second.toString()).isZero();
      List<Alert> again = readAlerts(runtime, topics, afterFirst);
      assertThat(again).extracting(Alert::getRuleId).containsAll(expectedRules);
      // New alerts or updates, each carrying ids the second run published, never the first run's
      // only.
      for (Scenario scenario : Scenarios.all()) {
        for (String rule : scenario.expect()) {
          assertThat(again)
              .filteredOn(a -> a.getRuleId().equals(rule))
              .as(rule)
              .anyMatch(
                  a ->
                      !all.stream()
                          .filter(b -> b.getDedupKey().equals(a.getDedupKey()))
                          .flatMap(b -> b.getEventIds().stream())
                          .collect(Collectors.toSet())
                          .containsAll(a.getEventIds()));
        }
      }
    }
  }

  private int demo(StringWriter out) {
    return VigilCommand.execute(
        new String[] {
          "demo",
          "--data-dir",
          dataDir.toString(),
          "--set",
          "phi.buckets=" + PHI_BUCKET,
          "--wait",
          "90s"
        },
        Map.of(),
        new PrintWriter(out, true),
        new PrintWriter(Writer.nullWriter()));
  }

  /**
   * Every committed alert from the given offsets (the beginning where none is given) to the end.
   */
  private static List<Alert> readAlerts(
      VigilRuntime runtime, VigilTopics topics, Map<TopicPartition, Long> from) {
    try (KafkaConsumer<String, Alert> consumer = consumer(runtime, topics)) {
      List<TopicPartition> partitions = partitions(consumer, topics);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      from.forEach(consumer::seek);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<Alert> alerts = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> alerts.add(r.value()));
      }
      return alerts;
    }
  }

  private static Map<TopicPartition, Long> endOffsets(VigilRuntime runtime, VigilTopics topics) {
    try (KafkaConsumer<String, Alert> consumer = consumer(runtime, topics)) {
      return consumer.endOffsets(partitions(consumer, topics));
    }
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<String, Alert> consumer, VigilTopics topics) {
    return consumer.partitionsFor(topics.alerts().name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
  }

  private static KafkaConsumer<String, Alert> consumer(VigilRuntime runtime, VigilTopics topics) {
    Map<String, Object> props = new HashMap<>(runtime.kafka().clientProperties());
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", false);
    return new KafkaConsumer<>(
        props, new StringDeserializer(), topics.alerts().valueSerde().deserializer());
  }
}
