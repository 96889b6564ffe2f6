package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

  @Test
  void envVarIsVigilPrefixPlusUpperSnakeCaseOfTheKey() {
    assertThat(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS.envVar())
        .isEqualTo("VIGIL_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(ConfigKeys.DATA_DIR.envVar()).isEqualTo("VIGIL_DATA_DIR");
    assertThat(ConfigKeys.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO.envVar())
        .isEqualTo("VIGIL_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
  }

  @Test
  void everyKeyCanBeSetFromItsEnvVar() {
    VigilConfig config =
        ConfigFixture.fromEnv(
            Map.of(
                "VIGIL_DATA_DIR", "/var/lib/vigil",
                "VIGIL_STREAMS_NUM_THREADS", "4",
                "VIGIL_SCHEMA_REGISTRY_AUTO_REGISTER", "FALSE"));

    assertThat(config.get(ConfigKeys.DATA_DIR)).isEqualTo(Path.of("/var/lib/vigil"));
    assertThat(config.get(ConfigKeys.STREAMS_NUM_THREADS)).isEqualTo(4);
    assertThat(config.get(ConfigKeys.SCHEMA_REGISTRY_AUTO_REGISTER)).isFalse();
  }

  @Test
  void variablesWithoutTheVigilPrefixAreIgnored() {
    VigilConfig config =
        ConfigFixture.fromEnv(Map.of("HTTP_PORT", "abc", "PATH", "/bin", "vigil_http_port", "x"));

    assertThat(config.get(ConfigKeys.HTTP_PORT)).isEqualTo(8080);
  }

  @Test
  void launcherVariablesAreNotMistakenForKeys() {
    VigilConfig config =
        ConfigFixture.fromEnv(
            Map.of("VIGIL_CONFIG", "/etc/vigil.yaml", "VIGIL_LOG_LEVEL", "debug"));

    assertThat(config.get(ConfigKeys.HTTP_PORT)).isEqualTo(8080);
  }

  @Test
  void unknownVigilVariableIsAnErrorNamingItWithSuggestion() {
    assertThatThrownBy(() -> ConfigFixture.fromEnv(Map.of("VIGIL_HTTP_PROT", "8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "VIGIL_HTTP_PROT: unknown environment variable, it matches no config key; did you mean"
                + " VIGIL_HTTP_PORT?");
  }

  @Test
  void wrongTypeFromEnvironmentNamesTheVariable() {
    assertThatThrownBy(() -> ConfigFixture.fromEnv(Map.of("VIGIL_HTTP_PORT", "abc")))
        .hasMessage(
            "http.port: expected a port number 0-65535, got 'abc' (from environment"
                + " VIGIL_HTTP_PORT)");
  }

  @Test
  void wrongTypeFromFlagNamesTheFlag() {
    assertThatThrownBy(() -> ConfigFixture.fromFlags(Map.of("http.port", "70000")))
        .hasMessage(
            "http.port: expected a port number 0-65535, got '70000' (from flag --set http.port)");
  }

  @Test
  void unknownFlagIsAnErrorWithSuggestion() {
    assertThatThrownBy(() -> ConfigFixture.fromFlags(Map.of("data.dri", "/x")))
        .hasMessage("data.dri: unknown key; did you mean data.dir? (from flag --set data.dri)");
  }
}
