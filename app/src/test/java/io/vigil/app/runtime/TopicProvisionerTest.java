package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How many replicas a new topic gets, and the settings that go with them. */
class TopicProvisionerTest {

  @Test
  void unsetReplicationIsMinOfThreeAndTheBrokers() {
    assertThat(TopicProvisioner.replicasFor(OptionalInt.empty(), 1)).isEqualTo(1);
    assertThat(TopicProvisioner.replicasFor(OptionalInt.empty(), 2)).isEqualTo(2);
    assertThat(TopicProvisioner.replicasFor(OptionalInt.empty(), 3)).isEqualTo(3);
    assertThat(TopicProvisioner.replicasFor(OptionalInt.empty(), 9)).isEqualTo(3);
    assertThat(TopicProvisioner.replicasFor(OptionalInt.of(5), 9)).isEqualTo(5);
  }

  @Test
  void threeReplicasOrMoreNeedTwoInSync() {
    assertThat(TopicProvisioner.replicationSettings(1)).isEmpty();
    assertThat(TopicProvisioner.replicationSettings(2)).isEmpty();
    assertThat(TopicProvisioner.replicationSettings(3))
        .isEqualTo(Map.of("min.insync.replicas", "2"));
  }

  @Test
  void aReplicationFactorBelowOneOtherThanUnsetIsRefused() {
    assertThatThrownBy(() -> new TopicProvisioner(null, 3, 0))
        .hasMessageContaining("topics.replication.factor must be at least 1");
  }
}
