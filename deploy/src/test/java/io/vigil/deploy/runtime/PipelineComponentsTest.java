package io.vigil.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.deploy.config.ConfigKeys;
import org.junit.jupiter.api.Test;

class PipelineComponentsTest {

  @Test
  void everyFactoryIsGatedUnderANameThatRunComponentsAccepts() {
    assertThat(PipelineComponents.byName().keySet()).containsExactlyElementsOf(ConfigKeys.RUN_COMPONENT_NAMES);
    assertThat(PipelineComponents.all()).hasSameSizeAs(ConfigKeys.RUN_COMPONENT_NAMES);
  }
}
