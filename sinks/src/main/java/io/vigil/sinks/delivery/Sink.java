package io.vigil.sinks.delivery;

import java.util.List;

import io.vigil.schemas.Alert;

/**
 * One destination of alerts. A {@link SinkRunner} calls it from a single thread, in offset order,
 * with batches of at most {@link #maxBatch()} alerts that passed the sink's filter, and retries or
 * dead-letters according to the {@link DeliveryException} it throws.
 */
public interface Sink extends AutoCloseable {

  /** The idempotency key of one publication of an alert: its dedup key and update number. */
  static String idempotencyKey(Alert alert) {
    return alert.getDedupKey() + ":" + alert.getUpdate();
  }

  /** How many alerts one {@link #deliver} call takes; 1 for sinks that send alert by alert. */
  default int maxBatch() {
    return 1;
  }

  /**
   * Delivers these alerts (or, for a buffering sink, accepts them into its buffer). Returns
   * normally only when all of them are done; a failure is all-or-nothing for the batch.
   *
   * @throws DeliveryException classified as retryable or fatal
   */
  void deliver(List<Alert> alerts) throws DeliveryException;

  /**
   * For buffering sinks: writes the buffer out when it is due (by size or age) or when
   * {@code force} is set. Returns whether everything accepted so far is durable at the receiver,
   * which is when the runner may commit the offsets of those alerts.
   */
  default boolean flush(boolean force) throws DeliveryException {
    return true;
  }

  @Override
  default void close() {
  }
}
