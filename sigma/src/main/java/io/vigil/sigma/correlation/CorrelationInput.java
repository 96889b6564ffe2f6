package io.vigil.sigma.correlation;

import io.vigil.sigma.event.EventView;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;

/**
 * What a correlation keeps of one matching event: small enough to send through a repartition topic
 * instead of the event itself.
 *
 * @param timestamp event time, epoch millis
 * @param ruleId id of the detection rule that matched
 * @param value the counted field's value (value_count only; null otherwise or when absent)
 * @param eventRef the event's reference (CloudTrail eventID, flow record_ref) for alerts
 */
public record CorrelationInput(long timestamp, String ruleId, String value, String eventRef) {

  /** What {@code correlation} keeps of an event that {@code rule}, one it references, matched. */
  public static CorrelationInput of(SigmaCorrelation correlation, SigmaRule rule, EventView event) {
    return new CorrelationInput(
        event.timestampMillis(),
        rule.id(),
        correlation.countedValue(rule, event),
        event.eventRef());
  }
}
