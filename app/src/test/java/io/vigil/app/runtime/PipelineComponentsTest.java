package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.ConfigKeys;
import org.junit.jupiter.api.Test;

class PipelineComponentsTest {

  @Test
  void everyFactoryIsGatedUnderAKindWhoseNameRunComponentsAccepts() {
    assertThat(PipelineComponents.byKind().keySet()).containsExactly(ComponentKind.values());
    assertThat(PipelineComponents.byKind().keySet())
        .extracting(ComponentKind::configName)
        .containsExactlyElementsOf(ConfigKeys.RUN_COMPONENT_NAMES);
    assertThat(PipelineComponents.all()).hasSameSizeAs(ConfigKeys.RUN_COMPONENT_NAMES);
  }
}
