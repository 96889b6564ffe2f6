package io.vigil.ingest.publish;

import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer-group membership a unit's transaction must still hold when it commits: the transaction
 * carries an offset for {@code lease} under {@code group}'s generation, so the group coordinator
 * refuses it once the lease moved to another member (KIP-447's zombie fencing), and the lease's
 * next owner waits for a transaction that carried it before reading the checkpoints.
 */
public record GroupFence(ConsumerGroupMetadata group, TopicPartition lease) {

  public GroupFence {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(lease, "lease");
  }
}
