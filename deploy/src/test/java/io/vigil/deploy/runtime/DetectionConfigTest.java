package io.vigil.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.vigil.deploy.config.VigilConfig;
import org.junit.jupiter.api.Test;

class DetectionConfigTest {

  @Test
  void postureKeepsDeletedResourcesSevenDaysUnlessConfigured() {
    VigilConfig defaults = VigilConfig.load(Optional.empty(), Map.of(), Map.of());
    VigilConfig configured = VigilConfig.load(Optional.empty(), Map.of("VIGIL_POSTURE_DELETED_RETENTION", "36h"), Map.of());

    assertThat(DetectionConfig.posture(defaults).deletedRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(DetectionConfig.posture(configured).deletedRetention()).isEqualTo(Duration.ofHours(36));
  }
}
