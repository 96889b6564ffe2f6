package io.vigil.sigma.correlation;

import io.vigil.sigma.model.SigmaCorrelation;
import java.util.List;

/**
 * A correlation's condition held for a window: what an alert is made from. The caller adds the
 * group key it evaluated.
 *
 * @param correlation the correlation rule
 * @param windowStart event time of the first event counted in the window
 * @param windowEnd event time of the event that closes the window (the window's anchor)
 * @param value what the condition tested: events, distinct values, or distinct rules seen
 * @param events how many events the window holds
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
