package io.vigil.app.runtime;

import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ExternalClusterRunContract} on the shared in-process KRaft broker. */
@ExtendWith(InProcessKafkaExtension.class)
class ExternalClusterRunIT extends ExternalClusterRunContract {

  private KafkaCluster cluster;

  @BeforeEach
  void cluster(KafkaCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  KafkaCluster cluster() {
    return cluster;
  }
}
