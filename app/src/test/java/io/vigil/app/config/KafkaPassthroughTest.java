package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaPassthroughTest {

  @TempDir Path dir;

  @Test
  void unknownKafkaSettingsFromFilePassThroughWithoutPrefix() {
    VigilConfig config =
        new ConfigFixture(dir)
            .fromYaml(
                """
                kafka:
                  bootstrap.servers: b:9092
                  security.protocol: SASL_SSL
                  sasl:
                    mechanism: SCRAM-SHA-512
                  ssl.enabled.protocols: [TLSv1.2, TLSv1.3]
                """);

    assertThat(config.passthrough("kafka."))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.enabled.protocols", "TLSv1.2,TLSv1.3"));
    assertThat(config.get(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("b:9092");
  }

  @Test
  void kafkaEnvVarMapsUnderscoresToDots() {
    VigilConfig config =
        ConfigFixture.fromEnv(
            Map.of(
                "VIGIL_KAFKA_SASL_JAAS_CONFIG",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/ssl/ts.jks",
                "VIGIL_KAFKA_EMBEDDED_PORT", "0"));

    assertThat(config.passthrough("kafka."))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/ssl/ts.jks"));
    assertThat(config.get(ConfigKeys.KAFKA_EMBEDDED_PORT)).isZero();
  }

  @Test
  void environmentOverridesFileForPassthroughSettings() {
    Path file = new ConfigFixture(dir).yaml("kafka.security.protocol: SSL\n");

    VigilConfig config =
        VigilConfig.load(
            Optional.of(file),
            Map.of("VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
            Map.of("kafka.client.id", "vigil-1"));

    assertThat(config.passthrough("kafka."))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("security.protocol", "SASL_SSL", "client.id", "vigil-1"));
  }

  @Test
  void nearMissOfAVigilKafkaKeyIsATypoNotAPassthrough() {
    // Passing it through would silently start the embedded broker instead of using the cluster.
    assertThatThrownBy(() -> ConfigFixture.fromFlags(Map.of("kafka.bootstrap.server", "b:9092")))
        .hasMessage(
            "kafka.bootstrap.server: unknown key; did you mean kafka.bootstrap.servers? (from flag"
                + " --set kafka.bootstrap.server)");
    assertThatThrownBy(
            () -> ConfigFixture.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVER", "b:9092")))
        .hasMessageContaining("did you mean VIGIL_KAFKA_BOOTSTRAP_SERVERS?");
  }

  @Test
  void aValueKafkaRefusesIsAnErrorAtLoadNamingTheKeyAndOrigin() {
    assertThatThrownBy(() -> ConfigFixture.fromFlags(Map.of("kafka.security.protocol", "FOO")))
        .hasMessage(
            "kafka.security.protocol: expected a value Kafka accepts for security.protocol (String"
                + " must be one of (case insensitive): SASL_SSL, PLAINTEXT, SSL, SASL_PLAINTEXT),"
                + " got 'FOO' (from flag --set kafka.security.protocol)");
    assertThatThrownBy(() -> ConfigFixture.fromEnv(Map.of("VIGIL_KAFKA_MAX_POLL_RECORDS", "many")))
        .hasMessage(
            "kafka.max.poll.records: expected a value Kafka accepts for max.poll.records (Not a"
                + " number of type INT), got 'many' (from environment"
                + " VIGIL_KAFKA_MAX_POLL_RECORDS)");
  }

  @Test
  void aRefusedValueOfASecretLookingSettingIsNotPrinted() {
    assertThatThrownBy(() -> ConfigFixture.fromFlags(Map.of("kafka.key.serializer", "h4nter2")))
        .hasMessage(
            "kafka.key.serializer: expected a value Kafka accepts for key.serializer, got '****' "
                + "(from flag --set kafka.key.serializer)");
  }

  @Test
  void otherNamespacesAreNotOpen() {
    assertThatThrownBy(() -> ConfigFixture.fromFlags(Map.of("streams.commit.interval.ms", "100")))
        .hasMessageContaining("streams.commit.interval.ms: unknown key");
  }

  @Test
  void passthroughWithAnotherPrefixIsEmpty() {
    VigilConfig config = ConfigFixture.fromFlags(Map.of("kafka.client.id", "x"));

    assertThat(config.passthrough("producer.")).isEmpty();
  }
}
