package io.vigil.streams.detection;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for the detection topology: CloudTrail's {@code eventTime}, a flow record's
 * {@code start} (epoch seconds), whatever time the record was produced at. Windows, correlations
 * and suppression are therefore on event time, as in the offline scan. Records without a usable
 * time fall back to the Kafka record's timestamp.
 */
public final class EventTimeExtractor implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Object value = record.value();
    if (value instanceof CloudTrailEvent event && event.getEventTimeMillis() != null) {
      return event.getEventTimeMillis().toEpochMilli();
    }
    if (value instanceof FlowRecord flow && flow.getStart() != null && flow.getStart() > 0) {
      return flow.getStart() * 1000L;
    }
    return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
  }
}
