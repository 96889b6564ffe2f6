package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sink secrets are masked by what they are (a URL's path and query, a header value, a value from
 * the environment), not by their key's name, in the configuration as printed by {@code vigil config
 * show} and the start-up log ({@link VigilConfig#describe()}) and in load errors.
 */
class SecretsByWhatTheyAreTest {

  @TempDir Path dir;

  private static final String SINKS =
      """
      sinks:
        - type: webhook
          name: hook
          url: https://hooks.example.com:8443/t/PATHTOKEN-1234?sig=QUERYSIG-5678
          headers:
            Authorization: Bearer LITERAL-AUTH-9012
        - type: slack
          name: chat
          url: https://hooks.slack.com/services/T0001/B0001/SLACKSECRET3456
        - type: splunk-hec
          name: hec
          url: https://hec.example.com:8088/services/collector?channel=HECCHANNEL-7890
          token: ${HEC_TOKEN}
        - type: pagerduty
          name: pd
          url: https://events.example.com/v2/enqueue/PDPATH-2345
          routing_key: ${PD_KEY}
      """;

  private static final Map<String, String> ENV =
      Map.of("HEC_TOKEN", "HEC-TOKEN-FROM-ENV", "PD_KEY", "PD-KEY-FROM-ENV");

  @Test
  void sinkUrlsShowOnlySchemeHostAndPortAndHeaderValuesAreMasked() {
    Path file = new ConfigFixture(dir).yaml(SINKS);

    String described = VigilConfig.load(Optional.of(file), ENV, Map.of()).describe();

    assertThat(described)
        .doesNotContain(
            "PATHTOKEN-1234",
            "QUERYSIG-5678",
            "LITERAL-AUTH-9012",
            "SLACKSECRET3456",
            "HECCHANNEL-7890",
            "PDPATH-2345",
            "HEC-TOKEN-FROM-ENV",
            "PD-KEY-FROM-ENV")
        .contains("\"url\":\"https://hooks.example.com:8443/***\"")
        .contains("\"url\":\"https://hooks.slack.com/***\"")
        .contains("\"url\":\"https://hec.example.com:8088/***\"")
        .contains("\"url\":\"https://events.example.com/***\"")
        .contains("\"headers\":{\"Authorization\":\"****\"}")
        .contains("\"token\":\"${HEC_TOKEN}\"");
  }

  @Test
  void aUrlThatIsOnlyAnEnvironmentReferenceShowsTheReference() {
    Path file =
        new ConfigFixture(dir)
            .yaml(
                """
                sinks:
                  - type: slack
                    name: chat
                    url: ${SLACK_URL}
                """);

    String described =
        VigilConfig.load(
                Optional.of(file),
                Map.of("SLACK_URL", "https://hooks.slack.com/services/T1/B1/ENVSLACK1234"),
                Map.of())
            .describe();

    assertThat(described).contains("\"url\":\"${SLACK_URL}\"").doesNotContain("ENVSLACK1234");
  }

  @Test
  void aValueFromTheEnvironmentIsNotEchoedInALoadError() {
    Path file =
        new ConfigFixture(dir)
            .yaml(
                """
                sinks:
                  - type: webhook
                    name: hook
                    url: ${HOOK_URL}
                    max_attempts: ${ATTEMPTS}
                    start_from: ${START}
                """);

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                VigilConfig.load(
                    Optional.of(file),
                    Map.of(
                        "HOOK_URL", "ftp://files.example.com/ENVPATH-1234",
                        "ATTEMPTS", "ENV-ATTEMPTS-SECRET",
                        "START", "ENV-START-SECRET"),
                    Map.of()));

    assertThat(e.getMessage())
        .contains("sinks[0] 'hook': url: must be an http or https URL")
        .contains("max_attempts: must be a whole number, got '****'")
        .contains("start_from: must be earliest or latest, got '****'")
        .doesNotContain("ENVPATH-1234", "ENV-ATTEMPTS-SECRET", "ENV-START-SECRET");
  }
}
