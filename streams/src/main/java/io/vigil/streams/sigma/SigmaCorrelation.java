package io.vigil.streams.sigma;

import io.vigil.schemas.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Sigma correlation rule ({@code correlation:} section): which detection rules feed it, how
 * their events are grouped ({@code group-by}, nested dotted fields allowed, per-rule field names
 * through {@code aliases}), the {@code timespan} of its window and the condition on the count.
 * Referenced rules are resolved by id or name when the {@link RuleSet} is built.
 *
 * <p>Immutable; the rule set holds a resolved copy. Evaluation is done by {@link CorrelationEvaluator} over a {@link CorrelationState} per
 * group key; this class only says what to extract from a matching event:
 * {@link #groupKey(SigmaRule, EventView)} and {@link #input(SigmaRule, EventView)}.
 */
public final class SigmaCorrelation {

  private final String id;
  private final String name;
  private final String title;
  private final String status;
  private final String description;
  private final String author;
  private final List<String> references;
  private final List<String> tags;
  private final List<String> falsePositives;
  private final Severity level;
  private final CorrelationType type;
  private final List<String> ruleReferences;
  private final List<String> groupBy;
  private final Map<String, Map<String, String>> aliases;
  private final Duration timespan;
  private final CorrelationCondition condition;
  private final String valueField;
  private final boolean generate;
  private final String source;
  private final int line;
  private final List<SigmaRule> rules;

  SigmaCorrelation(String id, String name, String title, String status, String description,
      String author, List<String> references, List<String> tags, List<String> falsePositives,
      Severity level, CorrelationType type, List<String> ruleReferences, List<String> groupBy,
      Map<String, Map<String, String>> aliases, Duration timespan, CorrelationCondition condition,
      String valueField, boolean generate, String source, int line) {
    this.id = Objects.requireNonNull(id, "id");
    this.name = name;
    this.title = Objects.requireNonNull(title, "title");
    this.status = status;
    this.description = description;
    this.author = author;
    this.references = List.copyOf(references);
    this.tags = List.copyOf(tags);
    this.falsePositives = List.copyOf(falsePositives);
    this.level = level;
    this.type = type;
    this.ruleReferences = List.copyOf(ruleReferences);
    this.groupBy = List.copyOf(groupBy);
    this.aliases = Map.copyOf(aliases);
    this.timespan = timespan;
    this.condition = condition;
    this.valueField = valueField;
    this.generate = generate;
    this.source = source;
    this.line = line;
    this.rules = List.of();
  }

  private SigmaCorrelation(SigmaCorrelation unresolved, List<SigmaRule> rules) {
    this.id = unresolved.id;
    this.name = unresolved.name;
    this.title = unresolved.title;
    this.status = unresolved.status;
    this.description = unresolved.description;
    this.author = unresolved.author;
    this.references = unresolved.references;
    this.tags = unresolved.tags;
    this.falsePositives = unresolved.falsePositives;
    this.level = unresolved.level;
    this.type = unresolved.type;
    this.ruleReferences = unresolved.ruleReferences;
    this.groupBy = unresolved.groupBy;
    this.aliases = unresolved.aliases;
    this.timespan = unresolved.timespan;
    this.condition = unresolved.condition;
    this.valueField = unresolved.valueField;
    this.generate = unresolved.generate;
    this.source = unresolved.source;
    this.line = unresolved.line;
    this.rules = List.copyOf(rules);
  }

  /** The group key of a matching event: the group-by values in order. */
  public GroupKey groupKey(SigmaRule rule, EventView event) {
    List<String> values = new ArrayList<>(groupBy.size());
    for (String field : groupBy) {
      values.add(firstValue(event, fieldFor(field, rule)));
    }
    return new GroupKey(values);
  }

  /**
   * What the evaluator keeps of a matching event: its time, the rule, the counted value
   * (value_count only) and its reference.
   */
  public CorrelationInput input(SigmaRule rule, EventView event) {
    String value = type == CorrelationType.VALUE_COUNT || type == CorrelationType.VALUE_SUM
        ? firstValue(event, fieldFor(valueField, rule)) : null;
    return new CorrelationInput(event.timestampMillis(), rule.id(), value, event.eventRef());
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

  private static String firstValue(EventView event, String field) {
    for (Object value : event.values(field)) {
      if (value != null) {
        return ValueText.of(value);
      }
    }
    return null;
  }

  /** This correlation with its references resolved to rules (by the rule set). */
  SigmaCorrelation resolved(List<SigmaRule> resolved) {
    return new SigmaCorrelation(this, resolved);
  }

  public String id() {
    return id;
  }

  /** The optional {@code name}; null when absent. */
  public String name() {
    return name;
  }

  public String title() {
    return title;
  }

  public String status() {
    return status;
  }

  public String description() {
    return description;
  }

  /** The rule's author(s), to be credited on alerts. */
  public String author() {
    return author;
  }

  public List<String> references() {
    return references;
  }

  public List<String> tags() {
    return tags;
  }

  public List<String> falsePositives() {
    return falsePositives;
  }

  /** Severity of the correlation's alerts; when the rule names no level, the highest of its rules. */
  public Severity level() {
    if (level != null) {
      return level;
    }
    Severity highest = Severity.info;
    for (SigmaRule rule : rules) {
      if (rule.level().ordinal() > highest.ordinal()) {
        highest = rule.level();
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

  public List<String> groupBy() {
    return groupBy;
  }

  /** Alias name to (rule id or name to field). */
  public Map<String, Map<String, String>> aliases() {
    return aliases;
  }

  public Duration timespan() {
    return timespan;
  }

  /**
   * The condition on the count (events, distinct values, or for temporal rules the number of
   * distinct referenced rules seen; for those it defaults to all of them).
   */
  public CorrelationCondition condition() {
    if (condition == null && (type == CorrelationType.TEMPORAL
        || type == CorrelationType.TEMPORAL_ORDERED)) {
      long all = ruleReferences.size();
      return new CorrelationCondition(null, all, null, null, null);
    }
    return condition;
  }

  /** The field whose distinct values a value_count rule counts; null for other types. */
  public String valueField() {
    return valueField;
  }

  /** True when the referenced rules also raise their own alerts ({@code generate: true}). */
  public boolean generate() {
    return generate;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  @Override
  public String toString() {
    return id + " (" + type.spelling() + ": " + title + ")";
  }
}
