package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the command line, run in this JVM (no pipeline is started). */
class VigilCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int vigil(Map<String, String> env, String... args) {
    return VigilCommand.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void unknownOptionIsAUsageErrorNamingTheOption() {
    assertThat(vigil(Map.of(), "run", "--no-such-flag")).isEqualTo(2);
    assertThat(err.toString()).contains("--no-such-flag");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(vigil(Map.of(), "detonate")).isEqualTo(2);
    assertThat(err.toString()).contains("detonate");
  }

  @Test
  void missingCommandIsAUsageErrorListingTheCommands() {
    assertThat(vigil(Map.of())).isEqualTo(2);
    assertThat(err.toString()).contains("missing command").contains("run");
  }

  @Test
  void wrongTypedFlagValueExitsTwoNamingTheKeyAndFlag() {
    assertThat(vigil(Map.of(), "config", "show", "--set", "http.port=eighty")).isEqualTo(2);
    assertThat(err.toString()).contains("http.port").contains("eighty").contains("--set");
  }

  @Test
  void badEnvironmentValueExitsTwoNamingTheVariable() {
    assertThat(vigil(Map.of("VIGIL_SHUTDOWN_TIMEOUT", "soon"), "config", "show")).isEqualTo(2);
    assertThat(err.toString()).contains("shutdown.timeout").contains("VIGIL_SHUTDOWN_TIMEOUT");
  }

  @Test
  void configFileFromTheEnvironmentIsReadAndItsErrorsNameTheLine(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, "http:\n  port: 9090\n  prot: 1\n");
    assertThat(vigil(Map.of("VIGIL_CONFIG", file.toString()), "config", "show")).isEqualTo(2);
    assertThat(err.toString()).contains("http.prot").contains(":3").contains("http.port");
  }

  @Test
  void configShowPrintsEffectiveValuesWithOriginsAndMasksSecrets() {
    int code =
        vigil(
            Map.of("VIGIL_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "vigil:hunter2"),
            "config",
            "show",
            "--http-port",
            "9191");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("http.port = 9191").doesNotContain("hunter2");
  }

  @Test
  void configShowMasksSinkSecretsByWhatTheyAre(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(
        file,
        """
        sinks:
          - type: webhook
            name: soar
            url: https://soar.example.com:8443/hooks/HOOKTOKEN-1234?sig=SIGQUERY-5678
            headers:
              Authorization: Bearer LITERAL-AUTH-9012
          - type: slack
            name: chat
            url: https://hooks.slack.com/services/T0001/B0001/SLACKSECRET3456
          - type: splunk-hec
            name: hec
            url: https://hec.example.com:8088/services/collector?channel=HECCHANNEL-7890
            token: ${HEC_TOKEN}
        """);

    int code =
        vigil(
            Map.of("VIGIL_CONFIG", file.toString(), "HEC_TOKEN", "HEC-TOKEN-FROM-ENV"),
            "config",
            "show");

    assertThat(code).isZero();
    assertThat(out.toString())
        .doesNotContain(
            "HOOKTOKEN-1234",
            "SIGQUERY-5678",
            "LITERAL-AUTH-9012",
            "SLACKSECRET3456",
            "HECCHANNEL-7890",
            "HEC-TOKEN-FROM-ENV")
        .contains("https://soar.example.com:8443/***")
        .contains("https://hooks.slack.com/***")
        .contains("https://hec.example.com:8088/***");
  }

  @Test
  void versionNamesVigilAndKafka() {
    assertThat(vigil(Map.of(), "version")).isZero();
    assertThat(out.toString()).contains("vigil ").contains("kafka 4.");
  }
}
