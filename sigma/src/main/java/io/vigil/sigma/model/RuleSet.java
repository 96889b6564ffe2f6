package io.vigil.sigma.model;

import io.vigil.sigma.event.EventView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules in force: detection rules and correlation rules by id, the load errors met on the way,
 * and a fast path for single events.
 *
 * <p>Built from layers ({@link Builder#add(LoadResult)}): typically the built-in catalogue from the
 * classpath, then each user directory. A rule in a later layer with the id of an earlier one
 * replaces it; two rules with one id in the same layer are an error. Disabled ids are left out.
 * Correlations resolve their {@code rules} by id or name here; an unknown reference is an error.
 *
 * <p>{@link #matching(EventView)} evaluates only the rules that can match the event: each rule is
 * indexed by the eventName values its detection requires (or else the eventSource values), so a
 * CloudTrail event is tested against the rules for its eventName plus the few rules that constrain
 * neither. Flow log events ({@link EventView#service()}) are tested against rules whose logsource
 * is a flow log (or names no service), other events against all other rules. Immutable and
 * thread-safe.
 */
public final class RuleSet {

  private final List<SigmaRule> rules;
  private final List<SigmaCorrelation> correlations;
  private final List<RuleLoadException> loadErrors;
  private final Map<String, String> off;
  private final Map<String, SigmaRule> rulesById;
  private final Map<String, SigmaCorrelation> correlationsById;
  private final Map<String, List<SigmaCorrelation>> correlationsByRule;
  private final Map<String, List<SigmaCorrelation>> correlationsByCorrelation;
  private final Set<String> silentRules;
  private final Set<String> silentCorrelations;
  private final Index cloudTrail;
  private final Index flow;

  private RuleSet(
      List<SigmaRule> rules,
      List<SigmaCorrelation> correlations,
      List<RuleLoadException> loadErrors,
      Map<String, String> off) {
    this.off = Collections.unmodifiableMap(new LinkedHashMap<>(off));
    this.rules = List.copyOf(rules);
    this.correlations = List.copyOf(correlations);
    this.loadErrors = List.copyOf(loadErrors);
    this.rulesById = new LinkedHashMap<>();
    rules.forEach(rule -> rulesById.put(rule.id(), rule));
    this.correlationsById = new LinkedHashMap<>();
    correlations.forEach(c -> correlationsById.put(c.id(), c));
    this.correlationsByRule = new HashMap<>();
    Set<String> fed = new HashSet<>();
    Set<String> generated = new HashSet<>();
    for (SigmaCorrelation correlation : correlations) {
      for (SigmaRule rule : correlation.rules()) {
        correlationsByRule.computeIfAbsent(rule.id(), id -> new ArrayList<>()).add(correlation);
        fed.add(rule.id());
        if (correlation.generate()) {
          generated.add(rule.id());
        }
      }
    }
    fed.removeAll(generated);
    this.silentRules = Set.copyOf(fed);
    this.correlationsByCorrelation = new HashMap<>();
    Set<String> fedCorrelations = new HashSet<>();
    Set<String> generatedCorrelations = new HashSet<>();
    for (SigmaCorrelation outer : correlations) {
      for (SigmaCorrelation inner : outer.correlations()) {
        correlationsByCorrelation.computeIfAbsent(inner.id(), id -> new ArrayList<>()).add(outer);
        fedCorrelations.add(inner.id());
        if (outer.generate()) {
          generatedCorrelations.add(inner.id());
        }
      }
    }
    fedCorrelations.removeAll(generatedCorrelations);
    this.silentCorrelations = Set.copyOf(fedCorrelations);
    List<SigmaRule> flowRules = new ArrayList<>();
    List<SigmaRule> cloudTrailRules = new ArrayList<>();
    for (SigmaRule rule : rules) {
      LogSource source = rule.logSource();
      if (source.isVpcFlow() || source.service() == null) {
        flowRules.add(rule);
      }
      if (!source.isVpcFlow()) {
        cloudTrailRules.add(rule);
      }
    }
    this.cloudTrail = new Index(cloudTrailRules);
    this.flow = new Index(flowRules);
  }

  /** A builder for layered rule sets. */
  public static Builder builder() {
    return new Builder();
  }

  /** The detection rules in force, in load order. */
  public List<SigmaRule> rules() {
    return rules;
  }

  /** The correlation rules in force, their referenced rules resolved. */
  public List<SigmaCorrelation> correlations() {
    return correlations;
  }

  /** The rules loaded but turned off with a reason ({@link Builder#turnOff}): id to reason. */
  public Map<String, String> off() {
    return off;
  }

  /** Every problem met while loading and assembling; empty when all is well. */
  public List<RuleLoadException> loadErrors() {
    return loadErrors;
  }

  /** The detection rule with this id. */
  public Optional<SigmaRule> rule(String id) {
    return Optional.ofNullable(rulesById.get(id));
  }

  /** The correlation rule with this id. */
  public Optional<SigmaCorrelation> correlation(String id) {
    return Optional.ofNullable(correlationsById.get(id));
  }

  /** The correlations that {@code rule}'s matches feed. */
  public List<SigmaCorrelation> correlationsFedBy(SigmaRule rule) {
    return correlationsByRule.getOrDefault(rule.id(), List.of());
  }

  /** The correlations over correlations that {@code inner}'s firings feed. */
  public List<SigmaCorrelation> correlationsFedBy(SigmaCorrelation inner) {
    return correlationsByCorrelation.getOrDefault(inner.id(), List.of());
  }

  /**
   * True when a firing of {@code correlation} is an alert by itself: always, unless it only feeds
   * correlations that do not say {@code generate: true}.
   */
  public boolean raisesOwnAlerts(SigmaCorrelation correlation) {
    return !silentCorrelations.contains(correlation.id());
  }

  /**
   * True when a match of {@code rule} is an alert by itself: always, unless the rule only feeds
   * correlations that do not say {@code generate: true} (Sigma's default for referenced rules).
   */
  public boolean raisesOwnAlerts(SigmaRule rule) {
    return !silentRules.contains(rule.id());
  }

  /**
   * The events the rule or correlation with this id needs to fire at all ({@link Telemetry}): a
   * correlation needs what any rule it references needs. Empty for an unknown id.
   */
  public Optional<Telemetry> telemetry(String id) {
    SigmaRule rule = rulesById.get(id);
    if (rule != null) {
      return Optional.of(Telemetry.of(rule));
    }
    SigmaCorrelation correlation = correlationsById.get(id);
    if (correlation == null) {
      return Optional.empty();
    }
    List<Telemetry> parts = new ArrayList<>();
    correlation.rules().forEach(r -> parts.add(Telemetry.of(r)));
    correlation.correlations().forEach(inner -> telemetry(inner.id()).ifPresent(parts::add));
    return Optional.of(Telemetry.union(parts));
  }

  /** The detection rules that match the event, in load order. */
  public List<SigmaRule> matching(EventView event) {
    return indexFor(event).matching(event);
  }

  /** How many rules {@link #matching(EventView)} evaluates for this event (for measurements). */
  public int candidateCount(EventView event) {
    Index index = indexFor(event);
    return index.candidates(event).stream().mapToInt(List::size).sum();
  }

  private Index indexFor(EventView event) {
    return LogSource.isVpcFlow(event.service()) ? flow : cloudTrail;
  }

  /** Rules by the lower-cased eventName or eventSource values their detection requires. */
  private static final class Index {
    private final Map<String, List<SigmaRule>> byName = new HashMap<>();
    private final Map<String, List<SigmaRule>> bySource = new HashMap<>();
    private final List<SigmaRule> always = new ArrayList<>();
    private final Map<SigmaRule, Integer> order = new HashMap<>();

    Index(List<SigmaRule> rules) {
      for (int i = 0; i < rules.size(); i++) {
        SigmaRule rule = rules.get(i);
        order.put(rule, i);
        Set<String> names = rule.requiredValues("eventName");
        Set<String> sources = names == null ? rule.requiredValues("eventSource") : null;
        if (names != null) {
          names.forEach(name -> byName.computeIfAbsent(name, n -> new ArrayList<>()).add(rule));
        } else if (sources != null) {
          sources.forEach(s -> bySource.computeIfAbsent(s, n -> new ArrayList<>()).add(rule));
        } else {
          always.add(rule);
        }
      }
    }

    List<List<SigmaRule>> candidates(EventView event) {
      List<List<SigmaRule>> lists = new ArrayList<>(3);
      String name = event.indexValue("eventName");
      if (name != null) {
        List<SigmaRule> named = byName.get(name.toLowerCase(Locale.ROOT));
        if (named != null) {
          lists.add(named);
        }
      }
      String source = event.indexValue("eventSource");
      if (source != null) {
        List<SigmaRule> sourced = bySource.get(source.toLowerCase(Locale.ROOT));
        if (sourced != null) {
          lists.add(sourced);
        }
      }
      if (!always.isEmpty()) {
        lists.add(always);
      }
      return lists;
    }

    List<SigmaRule> matching(EventView event) {
      List<SigmaRule> matched = new ArrayList<>(2);
      List<List<SigmaRule>> lists = candidates(event);
      for (List<SigmaRule> candidates : lists) {
        for (SigmaRule rule : candidates) {
          if (rule.matches(event)) {
            matched.add(rule);
          }
        }
      }
      if (lists.size() > 1 && matched.size() > 1) {
        matched.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
      }
      return matched;
    }
  }

  /** Assembles a rule set from layers; not thread-safe. */
  public static final class Builder {
    private final Map<String, SigmaRule> rules = new LinkedHashMap<>();
    private final Map<String, SigmaCorrelation> correlations = new LinkedHashMap<>();
    private final List<RuleLoadException> errors = new ArrayList<>();
    private final Set<String> disabled = new HashSet<>();
    private final Map<String, String> offReasons = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a layer: its rules replace earlier ones with the same id; its load errors are kept. */
    public Builder add(LoadResult layer) {
      errors.addAll(layer.errors());
      Set<String> ids = new HashSet<>();
      for (SigmaRule rule : layer.rules()) {
        if (!ids.add(rule.id())) {
          errors.add(
              new RuleLoadException(
                  rule.source(),
                  rule.line(),
                  "rule id '"
                      + rule.id()
                      + "' is used twice in one rule folder (first in "
                      + rules.get(rule.id()).source()
                      + ")"));
          continue;
        }
        correlations.remove(rule.id());
        rules.remove(rule.id());
        rules.put(rule.id(), rule);
      }
      for (SigmaCorrelation correlation : layer.correlations()) {
        if (!ids.add(correlation.id())) {
          errors.add(
              new RuleLoadException(
                  correlation.source(),
                  correlation.line(),
                  "rule id '" + correlation.id() + "' is used twice in one rule folder"));
          continue;
        }
        rules.remove(correlation.id());
        correlations.remove(correlation.id());
        correlations.put(correlation.id(), correlation);
      }
      return this;
    }

    /** Leaves out the rules and correlations with these ids. */
    public Builder disable(Collection<String> ids) {
      disabled.addAll(ids);
      return this;
    }

    /**
     * Leaves out the rules with these ids, each for the reason given (shown where the rules are
     * listed: {@link RuleSet#off()}).
     */
    public Builder turnOff(Map<String, String> reasons) {
      disabled.addAll(reasons.keySet());
      offReasons.putAll(reasons);
      return this;
    }

    /** Resolves correlation references and indexes the rules. */
    public RuleSet build() {
      List<SigmaRule> enabled = new ArrayList<>();
      Map<String, SigmaRule> byName = new HashMap<>();
      for (SigmaRule rule : rules.values()) {
        if (!disabled.contains(rule.id())) {
          enabled.add(rule);
          if (rule.name() != null) {
            byName.putIfAbsent(rule.name(), rule);
          }
        }
      }
      Map<String, SigmaRule> byId = new HashMap<>();
      enabled.forEach(rule -> byId.put(rule.id(), rule));
      List<SigmaCorrelation> resolved = new ArrayList<>();
      List<RuleLoadException> allErrors = new ArrayList<>(errors);
      Map<String, SigmaCorrelation> enabledCorrelations = new LinkedHashMap<>();
      Map<String, SigmaCorrelation> correlationsByName = new HashMap<>();
      for (SigmaCorrelation correlation : correlations.values()) {
        if (!disabled.contains(correlation.id())) {
          enabledCorrelations.put(correlation.id(), correlation);
          if (correlation.name() != null) {
            correlationsByName.putIfAbsent(correlation.name(), correlation);
          }
        }
      }
      // Correlations over detection rules first: a correlation over correlations takes their
      // resolved form. One level only: its own firings feed nothing further.
      Map<String, SigmaCorrelation> resolvedById = new HashMap<>();
      List<SigmaCorrelation> outers = new ArrayList<>();
      for (SigmaCorrelation correlation : enabledCorrelations.values()) {
        boolean overCorrelations =
            correlation.ruleReferences().stream()
                .anyMatch(
                    r ->
                        !byId.containsKey(r)
                            && !byName.containsKey(r)
                            && (enabledCorrelations.containsKey(r)
                                || correlationsByName.containsKey(r)));
        if (overCorrelations) {
          outers.add(correlation);
          continue;
        }
        List<SigmaRule> referenced = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String reference : correlation.ruleReferences()) {
          SigmaRule rule = byId.getOrDefault(reference, byName.get(reference));
          if (rule == null) {
            missing.add(reference);
          } else {
            referenced.add(rule);
          }
        }
        if (!missing.isEmpty()) {
          allErrors.add(missingReferences(correlation, missing));
          continue;
        }
        SigmaCorrelation done =
            correlation.resolved(
                referenced, List.of(), referenced.stream().map(SigmaRule::id).toList());
        resolved.add(done);
        resolvedById.put(done.id(), done);
      }
      for (SigmaCorrelation outer : outers) {
        List<SigmaRule> referencedRules = new ArrayList<>();
        List<SigmaCorrelation> referencedCorrelations = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> nested = new ArrayList<>();
        for (String reference : outer.ruleReferences()) {
          SigmaRule rule = byId.getOrDefault(reference, byName.get(reference));
          SigmaCorrelation inner =
              enabledCorrelations.getOrDefault(reference, correlationsByName.get(reference));
          if (rule != null) {
            referencedRules.add(rule);
            ids.add(rule.id());
          } else if (inner != null && resolvedById.containsKey(inner.id())) {
            referencedCorrelations.add(resolvedById.get(inner.id()));
            ids.add(inner.id());
          } else if (inner != null) {
            nested.add(reference);
          } else {
            missing.add(reference);
          }
        }
        if (!missing.isEmpty()) {
          allErrors.add(missingReferences(outer, missing));
        } else if (!nested.isEmpty()) {
          allErrors.add(
              new RuleLoadException(
                  outer.source(),
                  outer.line(),
                  "correlation '"
                      + outer.id()
                      + "' references "
                      + nested
                      + ", itself a correlation over correlations (or not loaded): a correlation"
                      + " may reference correlations over detection rules only, one level"));
        } else {
          resolved.add(outer.resolved(referencedRules, referencedCorrelations, ids));
        }
      }
      Map<String, String> off = new LinkedHashMap<>();
      offReasons.forEach(
          (id, reason) -> {
            if (rules.containsKey(id) || correlations.containsKey(id)) {
              off.put(id, reason);
            }
          });
      return new RuleSet(enabled, resolved, allErrors, off);
    }

    private static RuleLoadException missingReferences(
        SigmaCorrelation correlation, List<String> missing) {
      return new RuleLoadException(
          correlation.source(),
          correlation.line(),
          "correlation '"
              + correlation.id()
              + "' references "
              + missing
              + ", which is no loaded (and enabled) detection rule or correlation id or name");
    }
  }
}
