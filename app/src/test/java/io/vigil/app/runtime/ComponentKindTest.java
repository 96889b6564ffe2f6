package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComponentKindTest {

  @Test
  void theKindsAreTheNamesRunComponentsAcceptsInStartOrder() {
    assertThat(ComponentKind.configNames())
        .containsExactlyElementsOf(ConfigKeys.RUN_COMPONENT_NAMES);
    assertThat(ComponentKind.configNames())
        .containsExactly(
            "detection",
            "aggregates",
            "alert-view",
            "events",
            "file-inbox",
            "s3-notifications",
            "kinesis",
            "sinks");
  }

  @Test
  void aNameFindsItsKindAndNothingElseFindsOne() {
    for (ComponentKind kind : ComponentKind.values()) {
      assertThat(ComponentKind.fromConfigName(kind.configName())).contains(kind);
    }
    assertThat(ComponentKind.fromConfigName("sink")).isEmpty();
    assertThat(ComponentKind.fromConfigName("ALERT_VIEW")).isEmpty();
  }

  @Test
  void listedAreTheKindsRunComponentsNames() {
    VigilConfig some =
        VigilConfig.load(
            Optional.empty(), Map.of("VIGIL_RUN_COMPONENTS", "Sinks, alert-view"), Map.of());
    assertThat(ComponentKind.listed(some))
        .containsExactly(ComponentKind.ALERT_VIEW, ComponentKind.SINKS);
    VigilConfig all = VigilConfig.load(Optional.empty(), Map.of(), Map.of());
    assertThat(ComponentKind.listed(all)).containsExactly(ComponentKind.values());
  }
}
