package io.vigil.sinks.delivery;

import io.vigil.schemas.Alert;
import java.time.Duration;
import java.util.List;

/**
 * One destination of records: of alerts for every sink type, of aggregates for the archive. A
 * {@link SinkRunner} calls it from a single thread, in offset order, with batches of at most {@link
 * #maxBatch()} records that passed the sink's filter, and retries or dead-letters according to the
 * {@link DeliveryException} it throws.
 *
 * @param <T> the record type delivered
 */
public interface Sink<T> extends AutoCloseable {

  /** The idempotency key of one publication of an alert: its dedup key and update number. */
  static String idempotencyKey(Alert alert) {
    return alert.getDedupKey() + ":" + alert.getUpdate();
  }

  /** How many records one {@link #deliver} call takes; 1 for sinks that send alert by alert. */
  default int maxBatch() {
    return 1;
  }

  /**
   * Delivers these records (or, for a buffering sink, accepts them into its buffer). Returns
   * normally only when all of them are done; a failure is all-or-nothing for the batch.
   *
   * @throws DeliveryException classified as retryable or fatal
   */
  void deliver(List<T> records) throws DeliveryException;

  /**
   * For buffering sinks: writes the buffer out when it is due (by size or age) or when {@code
   * force} is set. Returns whether everything accepted so far is durable at the receiver, which is
   * when the runner may commit the offsets of those records.
   */
  default boolean flush(boolean force) throws DeliveryException {
    return true;
  }

  /**
   * How far back the sink remembers what it delivered (zero, the default: nothing). When not zero,
   * the runner hands the sink, as it starts, the records of that span before the offsets its group
   * committed (by record time, per partition) through {@link #remember}, without delivering them.
   */
  default Duration memory() {
    return Duration.ZERO;
  }

  /**
   * Records delivered before this sink started, within {@link #memory()}, oldest first; called
   * once, with nothing when they could not be read.
   */
  default void remember(List<T> records) {}

  @Override
  default void close() {}
}
