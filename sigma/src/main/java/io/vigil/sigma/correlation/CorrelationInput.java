package io.vigil.sigma.correlation;

import io.vigil.sigma.event.EventView;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import java.util.List;

/**
 * What a correlation keeps of one matching event: small enough to send through a repartition topic
 * instead of the event itself.
 *
 * @param timestamp event time, epoch millis
 * @param ruleId id of the detection rule that matched
 * @param value the counted field's value (value_count only; null otherwise or when absent)
 * @param moreValues value_count: the field's further values in the event when it holds several (a
 *     list), each counted as one more distinct value; empty otherwise
 * @param eventRef the event's reference (CloudTrail eventID, flow record_ref) for alerts
 */
public record CorrelationInput(
    long timestamp, String ruleId, String value, List<String> moreValues, String eventRef) {

  /** Copies the values. */
  public CorrelationInput {
    moreValues = List.copyOf(moreValues);
  }

  /** An input whose counted field holds at most one value. */
  public CorrelationInput(long timestamp, String ruleId, String value, String eventRef) {
    this(timestamp, ruleId, value, List.of(), eventRef);
  }

  /** What {@code correlation} keeps of an event that {@code rule}, one it references, matched. */
  public static CorrelationInput of(SigmaCorrelation correlation, SigmaRule rule, EventView event) {
    List<String> values = correlation.countedValues(rule, event);
    return new CorrelationInput(
        event.timestampMillis(),
        rule.id(),
        values.isEmpty() ? null : values.get(0),
        values.size() > 1 ? values.subList(1, values.size()) : List.of(),
        event.eventRef());
  }
}
