package io.vigil.streams.sigma;

/**
 * What a correlation keeps of one matching event: small enough to send through a repartition
 * topic instead of the event itself.
 *
 * @param timestamp event time, epoch millis
 * @param ruleId id of the detection rule that matched
 * @param value the counted field's value (value_count only; null otherwise or when absent)
 * @param eventRef the event's reference (CloudTrail eventID, flow record_ref) for alerts
 */
public record CorrelationInput(long timestamp, String ruleId, String value, String eventRef) {}
