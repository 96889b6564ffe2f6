package io.vigil.sigma.model;

import io.vigil.schemas.Severity;
import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import io.vigil.sigma.event.ValueText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Sigma correlation rule ({@code correlation:} section): which detection rules feed it, how their
 * events are grouped ({@code group-by}, nested dotted fields allowed, per-rule field names through
 * {@code aliases}), the {@code timespan} of its window and the condition on the count. Referenced
 * rules are resolved by id or name when the {@link RuleSet} is built.
 *
 * <p>Immutable; the rule set holds a resolved copy. The correlation package evaluates it over time,
 * one group key at a time; this class only says what to extract from a matching event: {@link
 * #groupValues(SigmaRule, EventView)} and {@link #countedValue(SigmaRule, EventView)}.
 */
public final class SigmaCorrelation extends SigmaRuleBase {

  private final CorrelationType type;
  private final List<String> ruleReferences;
  private final List<String> groupBy;
  private final Map<String, Map<String, String>> aliases;
  private final Duration timespan;
  private final CorrelationCondition condition;
  private final String valueField;
  private final Integer percentile;
  private final boolean generate;
  private final Duration learning;
  private final DerivedFields derived;
  private final List<SigmaRule> rules;
  private final List<SigmaCorrelation> correlations;
  private final List<String> referencedIds;

  /**
   * An unresolved correlation, as loaded.
   *
   * @param metadata what the document says about itself; a null level means the highest level of
   *     the referenced rules
   * @param type the correlation type
   * @param ruleReferences the {@code rules} entries as written (ids or names)
   * @param groupBy the {@code group-by} fields
   * @param aliases alias name to (rule id or name to field)
   * @param timespan the window
   * @param condition the condition on the count; null for temporal rules' default
   * @param valueField the field a value_count or metric rule reads; null for other types
   * @param percentile the percentile a value_percentile rule measures (1-99); null for others
   * @param generate whether the referenced rules raise their own alerts too
   * @param learning how long after its first data a new_terms rule only learns (null for other
   *     types)
   * @param derived the derived fields the correlation was loaded with
   */
  public SigmaCorrelation(
      RuleMetadata metadata,
      CorrelationType type,
      List<String> ruleReferences,
      List<String> groupBy,
      Map<String, Map<String, String>> aliases,
      Duration timespan,
      CorrelationCondition condition,
      String valueField,
      Integer percentile,
      boolean generate,
      Duration learning,
      DerivedFields derived) {
    super(metadata);
    this.type = type;
    this.ruleReferences = List.copyOf(ruleReferences);
    this.groupBy = List.copyOf(groupBy);
    this.aliases = Map.copyOf(aliases);
    this.timespan = timespan;
    this.condition = condition;
    this.valueField = valueField;
    this.percentile = percentile;
    this.generate = generate;
    this.learning = learning;
    this.derived = Objects.requireNonNull(derived, "derived");
    this.rules = List.of();
    this.correlations = List.of();
    this.referencedIds = List.of();
  }

  private SigmaCorrelation(
      SigmaCorrelation unresolved,
      List<SigmaRule> rules,
      List<SigmaCorrelation> correlations,
      List<String> referencedIds) {
    super(unresolved.metadata());
    this.type = unresolved.type;
    this.ruleReferences = unresolved.ruleReferences;
    this.groupBy = unresolved.groupBy;
    this.aliases = unresolved.aliases;
    this.timespan = unresolved.timespan;
    this.condition = unresolved.condition;
    this.valueField = unresolved.valueField;
    this.percentile = unresolved.percentile;
    this.generate = unresolved.generate;
    this.learning = unresolved.learning;
    this.derived = unresolved.derived;
    this.rules = List.copyOf(rules);
    this.correlations = List.copyOf(correlations);
    this.referencedIds = List.copyOf(referencedIds);
  }

  /**
   * The group-by values of a matching event of {@code rule}, in {@code group-by} order (aliases
   * applied); a value is null when the event lacks the field.
   */
  public List<String> groupValues(SigmaRule rule, EventView event) {
    List<String> values = new ArrayList<>(groupBy.size());
    for (String field : groupBy) {
      values.add(firstValue(event, fieldFor(field, rule)));
    }
    return values;
  }

  /**
   * The value a value_count or value_sum rule counts in a matching event of {@code rule}; null for
   * other types or when the event lacks the field.
   */
  public String countedValue(SigmaRule rule, EventView event) {
    return type.readsField() ? firstValue(event, fieldFor(valueField, rule)) : null;
  }

  /**
   * The values a correlation counts in a matching event of {@code rule}: for value_count every
   * distinct non-null value of the field (a list field, such as the parameter names of one SSM
   * GetParameters call, counts each), for the metric types the first; empty for other types or when
   * the event lacks the field.
   */
  public List<String> countedValues(SigmaRule rule, EventView event) {
    if (type.isMetric()) {
      String value = countedValue(rule, event);
      return value == null ? List.of() : List.of(value);
    }
    if (type != CorrelationType.VALUE_COUNT) {
      return List.of();
    }
    Set<String> values = new LinkedHashSet<>();
    for (Object value : derived.values(event, FieldPath.of(fieldFor(valueField, rule)))) {
      if (value != null) {
        values.add(ValueText.of(value));
      }
    }
    return List.copyOf(values);
  }

  private String fieldFor(String field, SigmaRule rule) {
    Map<String, String> perRule = aliases.get(field);
    if (perRule == null) {
      return field;
    }
    String mapped = perRule.get(rule.id());
    if (mapped == null && rule.name() != null) {
      mapped = perRule.get(rule.name());
    }
    return mapped == null ? field : mapped;
  }

  private String firstValue(EventView event, String field) {
    for (Object value : derived.values(event, FieldPath.of(field))) {
      if (value != null) {
        return ValueText.of(value);
      }
    }
    return null;
  }

  /**
   * The group-by values of the firing of {@code inner}, a correlation this one references, whose
   * group-by values were {@code innerValues}: each of this correlation's group-by fields (through
   * its aliases for {@code inner}) is looked up among {@code inner}'s group-by fields; null where
   * {@code inner} does not group by it.
   */
  public List<String> groupValues(SigmaCorrelation inner, List<String> innerValues) {
    List<String> values = new ArrayList<>(groupBy.size());
    for (String field : groupBy) {
      Map<String, String> perRule = aliases.get(field);
      String mapped = perRule == null ? null : perRule.get(inner.id());
      if (mapped == null && perRule != null && inner.name() != null) {
        mapped = perRule.get(inner.name());
      }
      int at = inner.groupBy().indexOf(mapped == null ? field : mapped);
      values.add(at < 0 || at >= innerValues.size() ? null : innerValues.get(at));
    }
    return values;
  }

  /**
   * This correlation with its references resolved (by the rule set): to detection rules, to
   * correlations, and the ids of both in the order the rule lists them.
   */
  SigmaCorrelation resolved(
      List<SigmaRule> resolvedRules,
      List<SigmaCorrelation> resolvedCorrelations,
      List<String> resolvedIds) {
    return new SigmaCorrelation(this, resolvedRules, resolvedCorrelations, resolvedIds);
  }

  /**
   * Severity of the correlation's alerts; when the rule names no level, the highest of its rules.
   */
  @Override
  public Severity level() {
    Severity level = metadata().level();
    if (level != null) {
      return level;
    }
    Severity highest = Severity.info;
    for (SigmaRule rule : rules) {
      if (rule.level().ordinal() > highest.ordinal()) {
        highest = rule.level();
      }
    }
    for (SigmaCorrelation inner : correlations) {
      if (inner.level().ordinal() > highest.ordinal()) {
        highest = inner.level();
      }
    }
    return highest;
  }

  public CorrelationType type() {
    return type;
  }

  /** The {@code rules} entries as written (ids or names). */
  public List<String> ruleReferences() {
    return ruleReferences;
  }

  /** The referenced detection rules, resolved by the rule set (empty before). */
  public List<SigmaRule> rules() {
    return rules;
  }

  /**
   * The referenced correlations (a correlation over correlations: their firings feed this one),
   * resolved by the rule set; empty for most.
   */
  public List<SigmaCorrelation> correlations() {
    return correlations;
  }

  /**
   * The ids of the referenced rules and correlations in the order the rule lists them: what
   * temporal rules count and temporal_ordered rules order.
   */
  public List<String> referencedIds() {
    return referencedIds;
  }

  public List<String> groupBy() {
    return groupBy;
  }

  /** Alias name to (rule id or name to field). */
  public Map<String, Map<String, String>> aliases() {
    return aliases;
  }

  /** The window; for a new_terms rule, the history a term is looked up in. */
  public Duration timespan() {
    return timespan;
  }

  /**
   * The condition on the count (events, distinct values, or for temporal rules the number of
   * distinct referenced rules seen; for those it defaults to all of them).
   */
  public CorrelationCondition condition() {
    if (condition == null
        && (type == CorrelationType.TEMPORAL || type == CorrelationType.TEMPORAL_ORDERED)) {
      long all = ruleReferences.size();
      return new CorrelationCondition(null, all, null, null, null);
    }
    return condition;
  }

  /**
   * The percentile a value_percentile rule measures (1-99), 50 for value_median; null for other
   * types.
   */
  public Integer percentile() {
    return type == CorrelationType.VALUE_MEDIAN ? Integer.valueOf(50) : percentile;
  }

  /** The field whose distinct values a value_count rule counts; null for other types. */
  public String valueField() {
    return valueField;
  }

  /**
   * For a new_terms rule, how long after the rule first sees data it learns terms without raising
   * alerts, so a fresh install does not page for everything; null for other types.
   */
  public Duration learning() {
    return learning;
  }

  /** True when the referenced rules also raise their own alerts ({@code generate: true}). */
  public boolean generate() {
    return generate;
  }

  @Override
  public String toString() {
    return id() + " (" + type.spelling() + ": " + title() + ")";
  }
}
