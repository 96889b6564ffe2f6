package io.vigil.streams.detection;

import io.vigil.schemas.Alert;

/**
 * What the detection topology reports while it runs, for metrics. Called on stream threads, so
 * implementations must be thread-safe and quick. Under exactly-once a task that fails and is
 * retried reports its records again: counts are at-least-once, unlike the topics.
 */
public interface DetectionObserver {

  /** Reports nothing. */
  DetectionObserver NONE = new DetectionObserver() {};

  /** {@code count} correlation events arrived after the grace period and were not counted. */
  default void lateEvents(long count) {}

  /** An alert publication (a new alert, or an update of one) went to the alerts topic. */
  default void alertPublished(Alert alert) {}
}
