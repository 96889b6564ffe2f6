package io.vigil.streams.sigma;

import io.vigil.schemas.Severity;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One Sigma detection rule, loaded and compiled: its metadata as written and a matcher built
 * once from its detection, so that {@link #matches(EventView)} does no parsing. Immutable and
 * safe to share between threads (the event view is not).
 */
public final class SigmaRule {

  private final String id;
  private final String name;
  private final String title;
  private final String status;
  private final String description;
  private final String author;
  private final List<String> references;
  private final List<String> tags;
  private final LogSource logSource;
  private final List<String> falsePositives;
  private final Severity level;
  private final List<String> fields;
  private final List<String> entityFields;
  private final String source;
  private final int line;
  private final DetectionNode detection;

  SigmaRule(String id, String name, String title, String status, String description,
      String author, List<String> references, List<String> tags, LogSource logSource,
      List<String> falsePositives, Severity level, List<String> fields, List<String> entityFields,
      String source, int line, DetectionNode detection) {
    this.id = Objects.requireNonNull(id, "id");
    this.name = name;
    this.title = Objects.requireNonNull(title, "title");
    this.status = status;
    this.description = description;
    this.author = author;
    this.references = List.copyOf(references);
    this.tags = List.copyOf(tags);
    this.logSource = Objects.requireNonNull(logSource, "logSource");
    this.falsePositives = List.copyOf(falsePositives);
    this.level = Objects.requireNonNull(level, "level");
    this.fields = List.copyOf(fields);
    this.entityFields = List.copyOf(entityFields);
    this.source = source;
    this.line = line;
    this.detection = Objects.requireNonNull(detection, "detection");
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

  /** Stable id; alerts and overrides key on it. */
  public String id() {
    return id;
  }

  /** The optional {@code name} correlation rules may reference; null when absent. */
  public String name() {
    return name;
  }

  public String title() {
    return title;
  }

  /** stable, test, experimental, deprecated or unsupported; null when absent. */
  public String status() {
    return status;
  }

  public String description() {
    return description;
  }

  /** The rule's author(s); SigmaHQ's licence (DRL 1.1) requires it on every alert. */
  public String author() {
    return author;
  }

  public List<String> references() {
    return references;
  }

  /** Tags as written, e.g. attack.t1562.008, cis.aws.4.5. */
  public List<String> tags() {
    return tags;
  }

  public LogSource logSource() {
    return logSource;
  }

  public List<String> falsePositives() {
    return falsePositives;
  }

  /** The rule's level as an alert severity (informational becomes info; medium when absent). */
  public Severity level() {
    return level;
  }

  /** Fields the rule suggests showing with an alert (its {@code fields} list). */
  public List<String> fields() {
    return fields;
  }

  /** The file or resource the rule was loaded from. */
  public String source() {
    return source;
  }

  /** 1-based line where the rule's document starts in its source. */
  public int line() {
    return line;
  }

  Set<String> requiredValues(String field) {
    return detection.requiredValues(field);
  }

  @Override
  public String toString() {
    return id + " (" + title + ")";
  }
}
