package io.vigil.app.runtime;

import io.vigil.testkit.ContainerKafkaCluster;
import io.vigil.testkit.KafkaCluster;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link ExternalClusterRunContract} on a Testcontainers Kafka. Skipped where no Docker engine runs
 * (as on the project's build machines), which JUnit reports as disabled with Testcontainers'
 * reason.
 */
@Testcontainers(disabledWithoutDocker = true)
class ExternalClusterRunContainerIT extends ExternalClusterRunContract {

  @Container static final KafkaContainer KAFKA = ContainerKafkaCluster.newContainer();

  @Override
  KafkaCluster cluster() {
    return new ContainerKafkaCluster(KAFKA);
  }
}
