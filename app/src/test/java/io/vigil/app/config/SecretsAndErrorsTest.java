package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsAndErrorsTest {

  @TempDir Path dir;

  @Test
  void allProblemsAcrossLayersAreReportedTogetherOnePerLine() {
    Path file =
        new ConfigFixture(dir)
            .yaml(
                """
                http.port: abc
                htpp.host: x
                topics.partitions: many
                """);

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                VigilConfig.load(
                    Optional.of(file),
                    Map.of("VIGIL_SHUTDOWN_TIMEOUT", "forever", "VIGIL_NOPE", "1"),
                    Map.of("streams.processing.guarantee", "sometimes")));

    assertThat(e.problems()).hasSize(6);
    assertThat(e.getMessage().lines()).hasSize(6);
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("http.port: expected a port number"))
        .anySatisfy(
            p -> assertThat(p).startsWith("htpp.host: unknown key; did you mean http.host?"))
        .anySatisfy(
            p -> assertThat(p).startsWith("topics.partitions: expected an integer, got 'many'"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "shutdown.timeout: expected a duration such as 500ms, 10s, 15m, 1h, 2d "
                            + "or PT10S, got 'forever' (from environment VIGIL_SHUTDOWN_TIMEOUT)"))
        .anySatisfy(p -> assertThat(p).startsWith("VIGIL_NOPE: unknown environment variable"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("got 'sometimes' (from flag --set streams.processing.guarantee)"));
  }

  @Test
  void overriddenBadValueInTheFileIsStillReported() {
    Path file = new ConfigFixture(dir).yaml("http.port: abc\n");

    assertThatThrownBy(
            () -> VigilConfig.load(Optional.of(file), Map.of("VIGIL_HTTP_PORT", "8080"), Map.of()))
        .hasMessageContaining("http.port: expected a port number 0-65535, got 'abc'");
  }

  @Test
  void describeMasksSecretKeysAndSecretLookingPassthroughSettings() {
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(),
            Map.of(
                "VIGIL_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "alice:s3cr3t",
                "VIGIL_KAFKA_SASL_JAAS_CONFIG", "ScramLoginModule required password=\"hunter2\";",
                "VIGIL_KAFKA_SSL_KEY_PASSWORD", "hunter3",
                "VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
            Map.of());

    String described = config.describe();

    assertThat(described)
        .doesNotContain("s3cr3t", "hunter2", "hunter3")
        .contains(
            "schema.registry.basic.auth.user.info = **** (environment"
                + " VIGIL_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO)")
        .contains("kafka.sasl.jaas.config = **** (environment VIGIL_KAFKA_SASL_JAAS_CONFIG)")
        .contains("kafka.ssl.key.password = ****")
        .contains("kafka.security.protocol = SASL_SSL (environment VIGIL_KAFKA_SECURITY_PROTOCOL)")
        .contains("http.port = 8080 (default)")
        .contains("kafka.bootstrap.servers = <unset> (unset)");
    assertThat(config.toString()).doesNotContain("s3cr3t", "hunter2");
    assertThat(config.get(ConfigKeys.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO))
        .isEqualTo("alice:s3cr3t");
  }

  @Test
  void httpTokenFromTheEnvironmentIsUsedButNeverShown() {
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(), Map.of("VIGIL_HTTP_TOKEN", "t0k3n-hunter4-of-the-tests"), Map.of());

    assertThat(config.get(ConfigKeys.HTTP_TOKEN)).isEqualTo("t0k3n-hunter4-of-the-tests");
    assertThat(config.describe())
        .contains("http.token = **** (environment VIGIL_HTTP_TOKEN)")
        .doesNotContain("hunter4");
    assertThat(config.toString()).doesNotContain("hunter4");
  }

  @Test
  void aTokenWithSpacesIsAConfigErrorThatDoesNotEchoIt() {
    assertThatThrownBy(
            () ->
                VigilConfig.load(
                    Optional.empty(), Map.of("VIGIL_HTTP_TOKEN", "open sesame"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "http.token: expected a token of printable characters without spaces, got '****' "
                + "(from environment VIGIL_HTTP_TOKEN)")
        .message()
        .doesNotContain("sesame");
  }

  @Test
  void aTokenShorterThan128BitsIsRefusedAtLoadWithHowToMakeOne() {
    for (String shortToken : new String[] {"Qz", "s3cr3t", "twenty-one-characters"}) {
      assertThatThrownBy(
              () ->
                  VigilConfig.load(
                      Optional.empty(), Map.of("VIGIL_HTTP_TOKEN", shortToken), Map.of()))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "http.token: expected a token of at least 22 characters (128 bits or more; generate"
                  + " one with: openssl rand -base64 24), got a token of "
                  + shortToken.length()
                  + " characters (from environment VIGIL_HTTP_TOKEN)")
          .message()
          .doesNotContain(shortToken);
    }
    assertThat(
            VigilConfig.load(
                    Optional.empty(),
                    Map.of("VIGIL_HTTP_TOKEN", "twenty-two-characters!"),
                    Map.of())
                .get(ConfigKeys.HTTP_TOKEN))
        .hasSize(22);
  }

  @Test
  void aTokenFromAMountedFileLosesItsTrailingNewline() {
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(), Map.of("VIGIL_HTTP_TOKEN", "t0k3n-hunter4-of-the-tests\n"), Map.of());

    assertThat(config.get(ConfigKeys.HTTP_TOKEN)).isEqualTo("t0k3n-hunter4-of-the-tests");
  }

  @Test
  void wrongTypedSecretDoesNotEchoItsValue() {
    ConfigKey<Integer> pin =
        ConfigKey.of("vault.pin", ConfigType.INT, 0, "A secret number.").secret();
    KeyIndex index = new KeyIndex(List.of(pin), List.of(), Set.of());

    assertThatThrownBy(
            () ->
                VigilConfig.load(
                    index, Optional.empty(), Map.of("VIGIL_VAULT_PIN", "hunter2"), Map.of()))
        .hasMessage("vault.pin: expected an integer, got '****' (from environment VIGIL_VAULT_PIN)")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void secretKeyToStringMasksItsDefault() {
    ConfigKey<String> token =
        ConfigKey.of("api.token", ConfigType.STRING, "dev-token", "Token.").secret();

    assertThat(token.toString())
        .isEqualTo("api.token (string, default ****, secret)")
        .doesNotContain("dev-token");
  }

  @Test
  void keysWhoseEnvVarsClashAreRefused() {
    ConfigKey<String> a = ConfigKey.optional("a.b_c", ConfigType.STRING, "One.");
    ConfigKey<String> b = ConfigKey.optional("a_b.c", ConfigType.STRING, "Two.");

    assertThatThrownBy(() -> new KeyIndex(List.of(a, b), List.of(), Set.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("VIGIL_A_B_C");
  }

  @Test
  void keyFromAnotherRegistryIsRefused() {
    ConfigKey<String> stranger = ConfigKey.optional("not.registered", ConfigType.STRING, "No.");
    VigilConfig config = VigilConfig.load(Optional.empty(), Map.of(), Map.of());

    assertThatThrownBy(() -> config.find(stranger)).isInstanceOf(IllegalArgumentException.class);
  }
}
