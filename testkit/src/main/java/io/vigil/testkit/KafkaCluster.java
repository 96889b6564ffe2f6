package io.vigil.testkit;

import java.util.Map;

/**
 * A Kafka cluster an integration test talks to: the shared in-process KRaft broker ({@link
 * InProcessKafkaExtension}) or, where Docker exists, a Testcontainers broker ({@link
 * ContainerKafkaCluster}). Tests written against this type run on either.
 */
public interface KafkaCluster {

  String bootstrapServers();

  /** Client settings every client of this cluster needs (only the bootstrap address here). */
  default Map<String, Object> clientProperties() {
    return Map.of("bootstrap.servers", bootstrapServers());
  }
}
