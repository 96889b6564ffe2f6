package io.vigil.streams.detection;

import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops a record whose identity (CloudTrail {@code eventID}, a flow record's {@code record_ref})
 * was already seen within the retention window, so that a redelivered S3 object or a replayed batch
 * raises no second alert. Stateful: one window store of identities, bounded by its retention. The
 * window is on wall-clock time (when the record was processed), not event time: a duplicate is a
 * redelivery, which comes within the retention of the original whatever the events' age, and a
 * window store keyed by event time would not keep the ids of logs backfilled behind current traffic
 * (it drops writes older than its stream time minus its retention). The input must be partitioned
 * by the identity (or by something that keeps duplicates together, as the input topics' keys do:
 * docs/architecture.md, "Topics and records"), so no repartition happens here.
 */
public final class DuplicateEventFilter<V> implements Processor<String, V, String, V> {

  private final String storeName;
  private final Duration retention;
  private final Function<V, String> identity;
  private ProcessorContext<String, V> context;
  private WindowStore<String, Long> seen;

  public DuplicateEventFilter(String storeName, Duration retention, Function<V, String> identity) {
    this.storeName = storeName;
    this.retention = retention;
    this.identity = identity;
  }

  @Override
  public void init(ProcessorContext<String, V> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.value() == null) {
      return; // a tombstone on an event topic carries nothing to detect
    }
    String id = identity.apply(record.value());
    long time = context.currentSystemTimeMs();
    try (WindowStoreIterator<Long> earlier =
        seen.fetch(id, time - retention.toMillis(), time + retention.toMillis())) {
      if (earlier.hasNext()) {
        return;
      }
    }
    seen.put(id, time, time);
    context.forward(record);
  }
}
