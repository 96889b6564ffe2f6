package io.vigil.sigma.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The events a rule needs in order to fire at all: the log ({@code cloudtrail} or {@code vpcflow})
 * and, for CloudTrail, the eventName values its detection requires, else the eventSource values;
 * neither means any event of the log. From the same analysis as the rule index ({@link RuleSet}),
 * so "no such event arrived" is exactly "the rule was never evaluated against one". Lower case.
 *
 * @param eventNames the calls that will do (any of them)
 * @param eventSources the services any call of which will do, for rules that name no call
 * @param callSources the services of {@link #eventNames}, where the rules name them: when their
 *     events arrive but not these calls, the rule is quiet rather than blind
 */
public record Telemetry(
    Set<String> logs, Set<String> eventNames, Set<String> eventSources, Set<String> callSources) {

  public static final String CLOUDTRAIL = "cloudtrail";
  public static final String VPCFLOW = "vpcflow";

  public Telemetry {
    logs = Set.copyOf(logs);
    eventNames = Set.copyOf(eventNames);
    eventSources = Set.copyOf(eventSources);
    callSources = Set.copyOf(callSources);
  }

  /** Any call of {@code source} (a CloudTrail eventSource). */
  public static Telemetry ofSource(String source) {
    return new Telemetry(
        Set.of(CLOUDTRAIL), Set.of(), Set.of(source.toLowerCase(Locale.ROOT)), Set.of());
  }

  /** What {@code rule} needs. */
  static Telemetry of(SigmaRule rule) {
    LogSource source = rule.logSource();
    Set<String> logs =
        source.isVpcFlow()
            ? Set.of(VPCFLOW)
            : source.service() == null ? Set.of(CLOUDTRAIL, VPCFLOW) : Set.of(CLOUDTRAIL);
    Set<String> names = rule.requiredValues("eventName");
    Set<String> sources = rule.requiredValues("eventSource");
    if (names != null) {
      return new Telemetry(logs, names, Set.of(), sources == null ? Set.of() : sources);
    }
    return new Telemetry(logs, Set.of(), sources == null ? Set.of() : sources, Set.of());
  }

  /** What any of several rules needs. */
  static Telemetry union(List<Telemetry> parts) {
    if (parts.stream().anyMatch(Telemetry::anyEvent)) {
      // One part that takes any event makes the union take any event.
      Set<String> logs = new TreeSet<>();
      parts.forEach(p -> logs.addAll(p.logs()));
      return new Telemetry(logs, Set.of(), Set.of(), Set.of());
    }
    Set<String> logs = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    Set<String> sources = new TreeSet<>();
    Set<String> calls = new TreeSet<>();
    for (Telemetry part : parts) {
      logs.addAll(part.logs());
      names.addAll(part.eventNames());
      sources.addAll(part.eventSources());
      calls.addAll(part.callSources());
    }
    return new Telemetry(logs, names, sources, calls);
  }

  /** True when any event of its logs will do. */
  public boolean anyEvent() {
    return eventNames.isEmpty() && eventSources.isEmpty();
  }

  /** Whether an event of {@code log} with this eventSource and eventName is one the rule needs. */
  public boolean needs(String log, String eventSource, String eventName) {
    if (!logs.contains(log)) {
      return false;
    }
    if (anyEvent() || !CLOUDTRAIL.equals(log)) {
      return true;
    }
    return eventName != null && eventNames.contains(eventName.toLowerCase(Locale.ROOT))
        || eventSource != null && eventSources.contains(eventSource.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether an event of {@code log} with this eventSource is of a service whose calls the rule
   * needs ({@link #eventSources} or {@link #callSources}).
   */
  public boolean fromService(String log, String eventSource) {
    if (!logs.contains(log) || eventSource == null) {
      return false;
    }
    String source = eventSource.toLowerCase(Locale.ROOT);
    return eventSources.contains(source) || callSources.contains(source);
  }

  /**
   * For people: {@code cloudtrail: eventName deletetrail, stoplogging (cloudtrail.amazonaws.com)},
   * sorted, lower case.
   */
  public String describe() {
    List<String> what = new ArrayList<>();
    if (!eventNames.isEmpty()) {
      what.add(
          "eventName "
              + String.join(", ", new TreeSet<>(eventNames))
              + (callSources.isEmpty()
                  ? ""
                  : " (" + String.join(", ", new TreeSet<>(callSources)) + ")"));
    }
    if (!eventSources.isEmpty()) {
      what.add("eventSource " + String.join(", ", new TreeSet<>(eventSources)));
    }
    return String.join("+", new TreeSet<>(logs))
        + ": "
        + (what.isEmpty() ? "any event" : String.join("; ", what));
  }
}
