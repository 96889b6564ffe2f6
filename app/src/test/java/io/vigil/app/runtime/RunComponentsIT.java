package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.testkit.HttpProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run.components} splits {@code vigil run} into the roles of deploy/k8s and deploy/compose.
 */
class RunComponentsIT {

  @TempDir Path dataDir;

  @Test
  void onlyTheListedComponentsStartAndReadinessIsTheirs() throws Exception {
    try (VigilRuntime runtime =
        VigilRuntime.start(config("aggregates,sinks"), PipelineComponents.all())) {
      assertThat(runtime.components())
          .extracting(PipelineComponent::name)
          .containsExactly("aggregates", "sinks");
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      assertThat(HttpProbe.get(runtime.httpPort(), "/ready").body()).doesNotContain("detection");
    }
  }

  @Test
  void everyComponentStartsUnderTheNameRunComponentsCallsIt() throws Exception {
    // s3-notifications and kinesis need a queue or stream to start; the other five run on the
    // embedded broker.
    try (VigilRuntime runtime =
        VigilRuntime.start(
            config("detection,aggregates,alert-view,file-inbox,sinks"), PipelineComponents.all())) {
      assertThat(runtime.components())
          .extracting(PipelineComponent::name)
          .containsExactly("detection", "aggregates", "alert-view", "file-inbox", "sinks");
    }
  }

  private VigilConfig config(String components) {
    return VigilConfig.load(
        Optional.empty(),
        Map.of("VIGIL_RUN_COMPONENTS", components),
        Map.of(
            "data.dir", dataDir.toString(),
            "kafka.embedded.port", "0",
            "http.port", "0",
            "http.host", "127.0.0.1",
            "topics.partitions", "1"));
  }
}
