package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code run.components}: the key that splits {@code vigil run} into roles, and its list-of-names
 * type.
 */
class RunComponentsKeyTest {

  @Test
  void byDefaultEveryComponentRuns() {
    assertThat(ConfigFixture.fromEnv(Map.of()).get(ConfigKeys.RUN_COMPONENTS))
        .containsExactlyElementsOf(ConfigKeys.RUN_COMPONENT_NAMES)
        .contains(
            "detection",
            "aggregates",
            "alert-view",
            "file-inbox",
            "s3-notifications",
            "kinesis",
            "sinks");
  }

  @Test
  void environmentGivesTheRoleAsCommaSeparatedNamesInAnyCase() {
    VigilConfig config =
        ConfigFixture.fromEnv(
            Map.of("VIGIL_RUN_COMPONENTS", "Detection, aggregates,alert-view,detection"));

    assertThat(config.get(ConfigKeys.RUN_COMPONENTS))
        .containsExactly("detection", "aggregates", "alert-view");
  }

  @Test
  void yamlListIsAccepted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    VigilConfig config = new ConfigFixture(dir).fromYaml("run:\n  components: [sinks]\n");

    assertThat(config.get(ConfigKeys.RUN_COMPONENTS)).containsExactly("sinks");
  }

  @Test
  void unknownComponentIsAnErrorNamingTheValueTheChoicesAndTheVariable() {
    assertThatThrownBy(
            () -> ConfigFixture.fromEnv(Map.of("VIGIL_RUN_COMPONENTS", "detection,sink")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "run.components: expected a non-empty list of detection, aggregates, alert-view,"
                + " events, file-inbox, s3-notifications, kinesis, sinks, got 'sink' (from"
                + " environment VIGIL_RUN_COMPONENTS)");
  }

  @Test
  void emptyListIsAnErrorRatherThanAProcessThatRunsNothing() {
    assertThatThrownBy(() -> ConfigFixture.fromEnv(Map.of("VIGIL_RUN_COMPONENTS", " , ")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("run.components: expected a non-empty list of")
        .hasMessageContaining("an empty list");
  }

  @Test
  void docsShowTheChoicesAsTheTypeAndTheFullListAsDefault() {
    assertThat(ConfigKeys.RUN_COMPONENTS.type().name())
        .isEqualTo(
            "list of (detection, aggregates, alert-view, events, file-inbox, s3-notifications,"
                + " kinesis, sinks)");
    assertThat(ConfigKeys.RUN_COMPONENTS.type().format(List.of("detection", "sinks")))
        .isEqualTo("detection,sinks");
  }
}
