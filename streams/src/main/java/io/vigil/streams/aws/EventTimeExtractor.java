package io.vigil.streams.aws;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for the topologies (detection, posture, aggregates): the record time is the value's
 * {@link EventTimes event time}, whatever time the record was produced at. Windows, correlations
 * and suppression are therefore on event time, as in the offline scan. Records without a usable
 * time fall back to the Kafka record's timestamp (the partition time when it has none).
 */
public final class EventTimeExtractor implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    return EventTimes.of(
        record.value(), record.timestamp() >= 0 ? record.timestamp() : partitionTime);
  }
}
