package io.vigil.sigma.model;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The events a rule needs in order to fire at all: the log ({@code cloudtrail} or {@code vpcflow})
 * and, for CloudTrail, the eventName values its detection requires, else the eventSource values;
 * neither means any event of the log. From the same analysis as the rule index ({@link RuleSet}),
 * so "no such event arrived" is exactly "the rule was never evaluated against one". Names and
 * sources are lower case.
 */
public record Telemetry(Set<String> logs, Set<String> eventNames, Set<String> eventSources) {

  public static final String CLOUDTRAIL = "cloudtrail";
  public static final String VPCFLOW = "vpcflow";

  public Telemetry {
    logs = Set.copyOf(new TreeSet<>(logs));
    eventNames = Set.copyOf(eventNames);
    eventSources = Set.copyOf(eventSources);
  }

  /** What {@code rule} needs. */
  static Telemetry of(SigmaRule rule) {
    LogSource source = rule.logSource();
    Set<String> logs =
        source.isVpcFlow()
            ? Set.of(VPCFLOW)
            : source.service() == null ? Set.of(CLOUDTRAIL, VPCFLOW) : Set.of(CLOUDTRAIL);
    Set<String> names = rule.requiredValues("eventName");
    Set<String> sources = names == null ? rule.requiredValues("eventSource") : null;
    return new Telemetry(
        logs, names == null ? Set.of() : names, sources == null ? Set.of() : sources);
  }

  /** What any of several rules needs. */
  static Telemetry union(Iterable<Telemetry> parts) {
    Set<String> logs = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    Set<String> sources = new TreeSet<>();
    boolean anyEvent = false;
    for (Telemetry part : parts) {
      logs.addAll(part.logs());
      names.addAll(part.eventNames());
      sources.addAll(part.eventSources());
      anyEvent |= part.anyEvent();
    }
    // One part that takes any event makes the union take any event.
    return anyEvent ? new Telemetry(logs, Set.of(), Set.of()) : new Telemetry(logs, names, sources);
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

  /** For people: {@code cloudtrail: StopLogging, DeleteTrail} style, sorted, lower case. */
  public String describe() {
    String what =
        !eventNames.isEmpty()
            ? "eventName " + String.join(", ", new TreeSet<>(eventNames))
            : !eventSources.isEmpty()
                ? "eventSource " + String.join(", ", new TreeSet<>(eventSources))
                : "any event";
    return String.join("+", logs) + ": " + what;
  }
}
