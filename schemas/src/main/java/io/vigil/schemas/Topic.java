package io.vigil.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Vigil topic: its logical name (stable, used in configuration), its actual name, its key and
 * value serdes, and how it should be cleaned up. Obtain instances from {@link VigilTopics}.
 *
 * @param logicalName stable id: cloudtrail, vpcflow, alerts, aggregates, posture or dlq
 * @param name the Kafka topic name (a default or a configured override)
 * @param valueType the generated Avro class of the values
 * @param keySerde serde of the keys (strings on every topic)
 * @param valueSerde serde of the values, in the process's encoding
 * @param cleanupPolicy the cleanup.policy to create the topic with
 */
public record Topic<K, V>(
    String logicalName,
    String name,
    Class<V> valueType,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    CleanupPolicy cleanupPolicy) {

  public Topic {
    Objects.requireNonNull(logicalName, "logicalName");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
  }
}
