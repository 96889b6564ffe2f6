package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

  @Test
  void registryHoldsTheFoundationKeysInDocumentationOrder() {
    assertThat(ConfigKeys.all())
        .extracting(ConfigKey::name)
        .containsSubsequence(
            "data.dir",
            "kafka.bootstrap.servers",
            "kafka.embedded.port",
            "topics.cloudtrail",
            "topics.vpcflow",
            "topics.alerts",
            "topics.aggregates",
            "topics.posture",
            "topics.dlq",
            "topics.partitions",
            "topics.replication.factor",
            "schema.registry.url",
            "schema.registry.basic.auth.user.info",
            "schema.registry.auto.register",
            "http.host",
            "http.port",
            "streams.application.id",
            "streams.state.dir",
            "streams.processing.guarantee",
            "streams.num.threads",
            "shutdown.timeout");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(ConfigKeys.DATA_DIR.defaultValue()).contains(Path.of("./vigil-data"));
    assertThat(ConfigKeys.KAFKA_EMBEDDED_PORT.defaultValue()).contains(9092);
    assertThat(ConfigKeys.TOPICS_REPLICATION_FACTOR.defaultValue()).contains(-1);
    assertThat(ConfigKeys.STREAMS_PROCESSING_GUARANTEE.defaultValue()).contains("exactly_once_v2");
    assertThat(ConfigKeys.SHUTDOWN_TIMEOUT.defaultValue()).contains(Duration.ofSeconds(10));
    assertThat(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS.defaultValue()).isEmpty();
  }

  @Test
  void onlyTheRegistryCredentialsAndTheHttpTokensAreSecret() {
    assertThat(ConfigKeys.all())
        .filteredOn(ConfigKey::isSecret)
        .containsExactly(
            ConfigKeys.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO,
            ConfigKeys.HTTP_TOKEN,
            ConfigKeys.HTTP_PEER_TOKEN);
  }

  @Test
  void everyKeyHasAOneLineDescription() {
    assertThat(ConfigKeys.all())
        .allSatisfy(
            key -> assertThat(key.description()).isNotBlank().doesNotContain("\n").endsWith("."));
  }

  @Test
  void standardRegistryHasNoClashingEnvVars() {
    assertThat(KeyIndex.standard().keys()).hasSameSizeAs(ConfigKeys.all());
  }
}
