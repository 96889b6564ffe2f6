package io.vigil.streams.aws;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;

/**
 * The event time of each kind of record, in one place for every path that needs it: the Kafka
 * Streams topologies (through {@link EventTimeExtractor}), the offline detector of {@code vigil
 * scan}, and the views rules see. A record that carries no usable time of its own gets the caller's
 * {@code fallback}: the Kafka record's timestamp in a topology, the stream time (the latest event
 * time seen) in the offline scan.
 *
 * <ul>
 *   <li>CloudTrail event: its {@code eventTime} ({@code eventTimeMillis});
 *   <li>flow record: the start of its capture window ({@code start}, epoch seconds) when positive;
 *   <li>anything else: the fallback.
 * </ul>
 */
public final class EventTimes {

  private EventTimes() {}

  /** A CloudTrail event's {@code eventTime}; the fallback only when it has none. */
  public static long of(CloudTrailEvent event, long fallback) {
    return event.getEventTimeMillis() != null
        ? event.getEventTimeMillis().toEpochMilli()
        : fallback;
  }

  /** A flow record's {@code start} in epoch milliseconds when positive, else the fallback. */
  public static long of(FlowRecord record, long fallback) {
    Long start = record.getStart();
    return start != null && start > 0 ? start * 1000L : fallback;
  }

  /** The event time of any record value: by its kind, the fallback for a kind without one. */
  public static long of(Object value, long fallback) {
    if (value instanceof CloudTrailEvent event) {
      return of(event, fallback);
    }
    if (value instanceof FlowRecord record) {
      return of(record, fallback);
    }
    return fallback;
  }
}
