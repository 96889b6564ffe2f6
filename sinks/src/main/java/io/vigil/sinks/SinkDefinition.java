package io.vigil.sinks;

import io.vigil.schemas.Severity;
import io.vigil.sinks.delivery.AlertFilter;
import io.vigil.sinks.delivery.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One validated entry of the {@code sinks:} list (see {@link SinkDefinitions} for the format).
 *
 * @param type the sink type, e.g. {@code pagerduty}
 * @param name unique name; part of the consumer group id and of the metric tags
 * @param minSeverity the lowest severity delivered
 * @param rules rule id globs to deliver (empty: every rule)
 * @param excludeRules rule id globs never delivered
 * @param retry how failed deliveries are retried
 * @param fromEarliest whether a new consumer group starts at the oldest retained alert (else the
 *     newest)
 * @param config the type-specific settings
 * @param sensitive every value of the entry that must never be printed (its config's secrets, its
 *     URLs, its header values, whatever came from the environment): what the sink's messages are
 *     scrubbed of
 */
public record SinkDefinition(
    String type,
    String name,
    Severity minSeverity,
    List<String> rules,
    List<String> excludeRules,
    RetryPolicy retry,
    boolean fromEarliest,
    SinkConfig config,
    List<Secret> sensitive) {

  public SinkDefinition {
    rules = List.copyOf(rules);
    excludeRules = List.copyOf(excludeRules);
    List<Secret> all = new ArrayList<>(sensitive);
    all.addAll(config.secrets());
    all.removeIf(Objects::isNull);
    sensitive = List.copyOf(all);
  }

  /** A definition whose only sensitive values are its config's secrets. */
  public SinkDefinition(
      String type,
      String name,
      Severity minSeverity,
      List<String> rules,
      List<String> excludeRules,
      RetryPolicy retry,
      boolean fromEarliest,
      SinkConfig config) {
    this(type, name, minSeverity, rules, excludeRules, retry, fromEarliest, config, List.of());
  }

  /** The filter these settings describe. */
  public AlertFilter filter() {
    return new AlertFilter(minSeverity, rules, excludeRules);
  }

  @Override
  public String toString() {
    // The config's secrets mask themselves; this stays safe to log.
    return "SinkDefinition[type="
        + type
        + ", name="
        + name
        + ", minSeverity="
        + minSeverity
        + ", rules="
        + rules
        + ", excludeRules="
        + excludeRules
        + "]";
  }
}
