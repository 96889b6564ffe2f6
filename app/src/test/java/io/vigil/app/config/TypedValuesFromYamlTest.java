package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values of each type as they arrive from the YAML file, and the keys a later change may add. */
class TypedValuesFromYamlTest {

  static final ConfigKey<List<String>> BUCKETS =
      ConfigKey.of("phi.buckets", ConfigType.STRING_LIST, List.of(), "Buckets holding PHI.");
  static final ConfigKey<JsonNode> SINKS =
      ConfigKey.optional("sinks", ConfigType.STRUCTURE, "Where alerts go.");

  @TempDir Path dir;

  private VigilConfig load(String yaml, Map<String, String> env) {
    KeyIndex index =
        new KeyIndex(
            List.of(
                ConfigKeys.SHUTDOWN_TIMEOUT,
                ConfigKeys.STREAMS_PROCESSING_GUARANTEE,
                BUCKETS,
                SINKS),
            List.of("kafka."),
            Set.of());
    return VigilConfig.load(index, Optional.of(new ConfigFixture(dir).yaml(yaml)), env, Map.of());
  }

  @Test
  void durationAndEnumFromYaml() {
    VigilConfig config =
        load("shutdown.timeout: 30s\nstreams.processing.guarantee: at_least_once\n", Map.of());

    assertThat(config.get(ConfigKeys.SHUTDOWN_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.get(ConfigKeys.STREAMS_PROCESSING_GUARANTEE)).isEqualTo("at_least_once");
  }

  @Test
  void badEnumFromYamlListsAllowedValuesAndLine() {
    assertThatThrownBy(() -> load("\nstreams:\n  processing.guarantee: exactly_once\n", Map.of()))
        .hasMessage(
            "streams.processing.guarantee: expected one of exactly_once_v2, at_least_once, got"
                + " 'exactly_once' (from "
                + dir.resolve("vigil.yaml")
                + ":3)");
  }

  @Test
  void stringListFromYamlListOrFromCommaSeparatedEnvironment() {
    VigilConfig fromYaml = load("phi:\n  buckets: [patient-records-prod, claims]\n", Map.of());
    VigilConfig fromEnv = load("", Map.of("VIGIL_PHI_BUCKETS", "patient-records-prod, claims"));

    assertThat(fromYaml.get(BUCKETS)).containsExactly("patient-records-prod", "claims");
    assertThat(fromEnv.get(BUCKETS)).containsExactly("patient-records-prod", "claims");
  }

  @Test
  void stringListRejectsListOfMaps() {
    assertThatThrownBy(() -> load("phi.buckets:\n  - name: a\n", Map.of()))
        .hasMessageContaining(
            "phi.buckets: expected a list of values (YAML list or comma-separated), got a list"
                + " holding a map");
  }

  @Test
  void structureKeepsNestedYamlUninterpretedWithTypedScalars() {
    VigilConfig config =
        load(
            """
            sinks:
              - type: slack
                webhook: https://hooks.example/x
                retries: 3
                enabled: true
            """,
            Map.of());

    JsonNode sinks = config.get(SINKS);
    assertThat(sinks.isArray()).isTrue();
    assertThat(sinks.get(0).get("type").asText()).isEqualTo("slack");
    assertThat(sinks.get(0).get("retries").isInt()).isTrue();
    assertThat(sinks.get(0).get("enabled").isBoolean()).isTrue();
  }

  @Test
  void structureMapIsNotFlattenedIntoUnknownKeys() {
    VigilConfig config = load("sinks:\n  slack: {channel: '#alerts'}\n", Map.of());

    assertThat(config.get(SINKS).get("slack").get("channel").asText()).isEqualTo("#alerts");
  }
}
