package io.vigil.testkit;

import org.testcontainers.kafka.KafkaContainer;

/**
 * A {@link KafkaCluster} backed by a Testcontainers Kafka broker. Only usable where a Docker engine
 * runs; tests that use it carry {@code @Testcontainers(disabledWithoutDocker = true)} so that they
 * are skipped, with that reason, on machines without one.
 */
public final class ContainerKafkaCluster implements KafkaCluster {

  /** The image the container ITs run; the same Kafka line as the embedded broker. */
  public static final String IMAGE = "apache/kafka:4.1.0";

  private final KafkaContainer container;

  public ContainerKafkaCluster(KafkaContainer container) {
    this.container = container;
  }

  public static KafkaContainer newContainer() {
    return new KafkaContainer(IMAGE);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String toString() {
    return "Testcontainers Kafka (" + IMAGE + ") at " + bootstrapServers();
  }
}
