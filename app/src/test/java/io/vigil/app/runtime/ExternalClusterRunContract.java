package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.KafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil run} against a given cluster ({@code kafka.bootstrap.servers} set): no embedded
 * broker, topics created under the configured names, ready once Kafka Streams runs. Runs on the
 * in-process broker ({@link ExternalClusterRunIT}) and on Testcontainers where Docker exists
 * ({@link ExternalClusterRunContainerIT}).
 */
abstract class ExternalClusterRunContract {

  @TempDir Path dataDir;

  abstract KafkaCluster cluster();

  @Test
  void usesTheGivenClusterAndCreatesTheConfiguredTopicNames() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(),
            Map.of(
                "VIGIL_KAFKA_BOOTSTRAP_SERVERS",
                cluster().bootstrapServers(),
                "VIGIL_KAFKA_CLIENT_ID",
                "vigil-it-" + suffix),
            Map.of(
                "data.dir",
                dataDir.toString(),
                "http.port",
                "0",
                "http.host",
                "127.0.0.1",
                "topics.partitions",
                "2",
                "topics.alerts",
                "team-a.alerts-" + suffix,
                "streams.application.id",
                "vigil-it-" + suffix));
    try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
      assertThat(runtime.kafka().embedded()).isFalse();
      assertThat(runtime.kafka().clientSettings()).containsEntry("client.id", "vigil-it-" + suffix);
      assertThat(dataDir.resolve("kafka")).doesNotExist();
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      try (Admin admin = Admin.create(cluster().clientProperties())) {
        TopicDescription alerts =
            admin
                .describeTopics(java.util.List.of("team-a.alerts-" + suffix))
                .allTopicNames()
                .get()
                .get("team-a.alerts-" + suffix);
        assertThat(alerts.partitions()).hasSize(2);
      }
    }
  }
}
