package io.vigil.sigma.event;

import java.util.List;

/**
 * What a rule sees of an event: values by dotted field path, the raw text for keyword search, the
 * event time and a reference for alerts.
 *
 * <p>Values are {@link String}, {@link Number}, {@link Boolean} or {@code null} (a field present
 * with a JSON null); a nested object at the end of a path is given as its JSON text, so that {@code
 * requestParameters|contains: 'Suspended'} searches the whole element. A path through an array
 * yields the values of every element (arrays are flattened along the path), and a rule matches when
 * any of them matches. An absent field yields an empty list.
 *
 * <p>Views read the event only: fields derived from it ({@code vigil.}) are computed by the {@link
 * DerivedFields} the rules were loaded with.
 */
public interface EventView {

  /** The values at {@code path}; empty when the field is absent. */
  List<Object> values(FieldPath path);

  /** Convenience for {@link #values(FieldPath)} with a dotted name. */
  default List<Object> values(String dotted) {
    return values(FieldPath.of(dotted));
  }

  /** The whole event as text, searched by Sigma keyword lists. */
  String rawText();

  /** Event time in epoch milliseconds UTC: what correlation windows use. */
  long timestampMillis();

  /** The event's stable reference, cited by alerts (CloudTrail eventID, flow record_ref). */
  String eventRef();

  /**
   * The Sigma {@code logsource} service of the log this event comes from (e.g. {@code cloudtrail},
   * {@code vpcflowlogs}), or null when unknown. A rule set tests a flow log event only against
   * rules written for flow logs or for no service, and any other event against every rule not
   * written for flow logs.
   */
  default String service() {
    return null;
  }

  /**
   * The single string value of a top-level field, or {@code null}; used by the rule index ({@code
   * eventName}, {@code eventSource}) without allocating a list.
   */
  default String indexValue(String field) {
    List<Object> values = values(field);
    return values.size() == 1 && values.get(0) instanceof String s ? s : null;
  }
}
