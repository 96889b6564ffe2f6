package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.ComponentKind;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.StreamsComponent;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code vigil run} stopped in order and started again on the same data dir (the same embedded
 * broker data and Kafka Streams state) carries on from its local state: no store is rebuilt from
 * its changelog, in particular not because a task was taken for corrupted (exactly-once wipes a
 * corrupted task's state and reads its changelogs back from the start).
 */
class CleanRestartIT {

  @TempDir Path dataDir;

  @Test
  void aCleanStopLeavesTheDetectionStateForTheNextStartToUseAsItIs() throws Exception {
    // CloudTrail only: the VPC flow dedup store stays empty beside stores that hold data, the
    // case that made Kafka Streams 4.4 take every detection task for corrupted at each start.
    try (VigilRuntime runtime = VigilRuntime.start(config(), PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      Path staged = dataDir.resolve("staged.json");
      Files.copy(
          TestData.path(
              "stratus_red_team/docs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json"),
          staged);
      Files.move(staged, dataDir.resolve("inbox").resolve("cloudtrail-stop.json"));
      // The stores hold state: the alert in the alert view, the trail in the detection's posture.
      awaitBody(runtime.httpPort(), "/api/alerts", "aws-cloudtrail-logging-disabled");
      awaitBody(runtime.httpPort(), "/api/posture?failing=true", "posture-cloudtrail-not-logging");
    }

    try (VigilRuntime runtime = VigilRuntime.start(config(), PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      // Answered from the stores once their tasks run, restored or not.
      awaitBody(runtime.httpPort(), "/api/alerts", "aws-cloudtrail-logging-disabled");
      awaitBody(runtime.httpPort(), "/api/posture?failing=true", "posture-cloudtrail-not-logging");

      assertThat(streams(runtime, ComponentKind.DETECTION).restoredRecords())
          .as("records read back from the detection's changelogs")
          .allSatisfy((store, records) -> assertThat(records).as(store).isZero());
      assertThat(streams(runtime, ComponentKind.ALERT_VIEW).restoredRecords())
          .as("records read back from the alert view's changelog")
          .allSatisfy((store, records) -> assertThat(records).as(store).isZero());
      // The aggregates' suppression buffers are in memory, read back at every start by design;
      // their persistent window stores are not.
      assertThat(streams(runtime, ComponentKind.AGGREGATES).restoredRecords())
          .as("records read back into the aggregates' persistent stores")
          .allSatisfy(
              (store, records) -> {
                if (!store.contains("until-close")) {
                  assertThat(records).as(store).isZero();
                }
              });
      assertThat(HttpProbe.get(runtime.httpPort(), "/metrics").body())
          .doesNotContain("vigil_streams_restored_records_total{application=\"detection\"");
    }
  }

  private static StreamsComponent streams(VigilRuntime runtime, ComponentKind kind) {
    return runtime.components().stream()
        .filter(c -> c.kind() == kind)
        .map(StreamsComponent.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private static void awaitBody(int port, String path, String expected)
      throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String body = "";
    while (System.nanoTime() < end) {
      var response = HttpProbe.get(port, path);
      body = response == null ? "" : response.body();
      if (response != null && response.statusCode() == 200 && body.contains(expected)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(path + " never contained " + expected + "; last body: " + body);
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
            "topics.partitions", "1"));
  }
}
