package io.vigil.sigma.model;

import io.vigil.schemas.Severity;
import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import io.vigil.sigma.match.DetectionNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One Sigma detection rule, loaded and compiled: its metadata as written and a matcher built once
 * from its detection, so that {@link #matches(EventView)} does no parsing. Immutable and safe to
 * share between threads (the event view is not).
 */
public final class SigmaRule extends SigmaRuleBase {

  private final LogSource logSource;
  private final List<String> entityFields;
  private final DetectionNode detection;
  private final DerivedFields derived;

  /**
   * @param metadata what the document says about itself
   * @param logSource the logs the rule is written for
   * @param entityFields Vigil's {@code vigil.entity} attribute
   * @param detection the compiled detection
   * @param derived the derived fields the rule was compiled with
   */
  public SigmaRule(
      RuleMetadata metadata,
      LogSource logSource,
      List<String> entityFields,
      DetectionNode detection,
      DerivedFields derived) {
    super(metadata);
    this.logSource = Objects.requireNonNull(logSource, "logSource");
    this.entityFields = List.copyOf(entityFields);
    this.detection = Objects.requireNonNull(detection, "detection");
    this.derived = Objects.requireNonNull(derived, "derived");
  }

  /**
   * Vigil's {@code vigil.entity} attribute: the fields whose first present value is what an alert
   * of this rule is about (empty: the caller's default).
   */
  public List<String> entityFields() {
    return entityFields;
  }

  /** True when the event satisfies the rule's detection condition. */
  public boolean matches(EventView event) {
    return detection.matches(event);
  }

  /**
   * The values of a field of {@code event} as this rule reads them: a derived field is computed as
   * in its detection, any other field read from the event. For evidence and entities.
   */
  public List<Object> values(EventView event, String field) {
    return derived.values(event, FieldPath.of(field));
  }

  public LogSource logSource() {
    return logSource;
  }

  /** The rule's level as an alert severity (informational becomes info; medium when absent). */
  @Override
  public Severity level() {
    Severity level = metadata().level();
    return level == null ? Severity.medium : level;
  }

  /** Fields the rule suggests showing with an alert (its {@code fields} list). */
  public List<String> fields() {
    return metadata().fields();
  }

  Set<String> requiredValues(String field) {
    return detection.requiredValues(field);
  }

  @Override
  public String toString() {
    return id() + " (" + title() + ")";
  }
}
