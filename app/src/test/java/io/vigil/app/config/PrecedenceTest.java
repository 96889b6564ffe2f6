package io.vigil.app.config;

import static io.vigil.app.config.ConfigKeys.HTTP_PORT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecedenceTest {

  @TempDir Path dir;

  @Test
  void defaultAppliesWhenNoLayerSetsTheKey() {
    VigilConfig config = VigilConfig.load(Optional.empty(), Map.of(), Map.of());

    assertThat(config.get(HTTP_PORT)).isEqualTo(8080);
    assertThat(config.origin(HTTP_PORT)).isEqualTo("default");
  }

  @Test
  void fileOverridesDefault() {
    VigilConfig config = new ConfigFixture(dir).fromYaml("http.port: 8081\n");

    assertThat(config.get(HTTP_PORT)).isEqualTo(8081);
    assertThat(config.origin(HTTP_PORT)).endsWith("vigil.yaml:1");
  }

  @Test
  void environmentOverridesFile() {
    Path file = new ConfigFixture(dir).yaml("http.port: 8081\n");

    VigilConfig config =
        VigilConfig.load(Optional.of(file), Map.of("VIGIL_HTTP_PORT", "8082"), Map.of());

    assertThat(config.get(HTTP_PORT)).isEqualTo(8082);
    assertThat(config.origin(HTTP_PORT)).isEqualTo("environment VIGIL_HTTP_PORT");
  }

  @Test
  void flagOverridesEnvironmentFileAndDefault() {
    Path file = new ConfigFixture(dir).yaml("http.port: 8081\n");

    VigilConfig config =
        VigilConfig.load(
            Optional.of(file), Map.of("VIGIL_HTTP_PORT", "8082"), Map.of("http.port", "8083"));

    assertThat(config.get(HTTP_PORT)).isEqualTo(8083);
    assertThat(config.origin(HTTP_PORT)).isEqualTo("flag --set http.port");
  }

  @Test
  void eachKeyTakesItsHighestLayerIndependently() {
    Path file =
        new ConfigFixture(dir)
            .yaml(
                """
                http.port: 8081
                http.host: 127.0.0.1
                topics.alerts: from-file
                """);

    VigilConfig config =
        VigilConfig.load(
            Optional.of(file),
            Map.of("VIGIL_TOPICS_ALERTS", "from-env", "VIGIL_TOPICS_DLQ", "dlq-from-env"),
            Map.of("topics.dlq", "dlq-from-flag"));

    assertThat(config.get(HTTP_PORT)).isEqualTo(8081);
    assertThat(config.get(ConfigKeys.HTTP_HOST)).isEqualTo("127.0.0.1");
    assertThat(config.get(ConfigKeys.TOPICS_ALERTS)).isEqualTo("from-env");
    assertThat(config.get(ConfigKeys.TOPICS_DLQ)).isEqualTo("dlq-from-flag");
    assertThat(config.get(ConfigKeys.TOPICS_CLOUDTRAIL)).isEqualTo("vigil.cloudtrail");
  }

  @Test
  void blankEnvironmentValueLeavesTheLowerLayerInPlace() {
    Path file = new ConfigFixture(dir).yaml("http.port: 8081\n");

    VigilConfig config =
        VigilConfig.load(Optional.of(file), Map.of("VIGIL_HTTP_PORT", ""), Map.of());

    assertThat(config.get(HTTP_PORT)).isEqualTo(8081);
  }

  @Test
  void keyWithoutDefaultIsAbsentUntilSet() {
    VigilConfig unset = VigilConfig.load(Optional.empty(), Map.of(), Map.of());
    VigilConfig set =
        ConfigFixture.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", "b1:9092,b2:9092"));

    assertThat(unset.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).isEmpty();
    assertThat(unset.origin(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("unset");
    assertThat(set.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).contains("b1:9092,b2:9092");
  }

  @Test
  void getOfUnsetKeyWithoutDefaultSaysHowToSetIt() {
    VigilConfig config = VigilConfig.load(Optional.empty(), Map.of(), Map.of());

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> config.get(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrap.servers: no value set")
        .hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP_SERVERS")
        .hasMessageContaining("--set kafka.bootstrap.servers=");
  }
}
