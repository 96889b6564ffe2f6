package io.vigil.sigma.correlation;

import io.vigil.sigma.model.SigmaCorrelation;
import java.util.List;

/**
 * A correlation's condition held for a window: what an alert is made from. The caller adds the
 * group key it evaluated.
 *
 * @param correlation the correlation rule
 * @param windowStart start of the window (aligned on the timespan), the same for every firing of it
 * @param windowEnd event time of the latest event this firing counts
 * @param value what the condition tested: events, distinct values, or distinct rules seen
 * @param events how many events this firing counts: the window's so far when it fires, one for an
 *     event added to a window that fired
 * @param eventRefs references of the window's events, oldest first, at most {@link
 *     CorrelationEvaluator#MAX_EVENT_REFS}
 */
public record CorrelationFiring(
    SigmaCorrelation correlation,
    long windowStart,
    long windowEnd,
    long value,
    long events,
    List<String> eventRefs) {

  /** Copies the references. */
  public CorrelationFiring {
    eventRefs = List.copyOf(eventRefs);
  }
}
