package io.vigil.reports;

import io.vigil.reports.ComplianceReport.AlertEvidence;
import io.vigil.reports.ComplianceReport.ControlResult;
import io.vigil.reports.ComplianceReport.ResourceEvidence;
import io.vigil.reports.ComplianceReport.Status;
import io.vigil.schemas.Alert;
import io.vigil.schemas.ResourceState;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link ComplianceReport} from the alerts of {@code vigil.alerts} and the resource states
 * of {@code vigil.posture}. A control is failing when an alert of one of its rules overlaps the
 * period or a resource's latest state fails one of its posture rules; passing when at least one of
 * its rules is enabled and nothing failed; not evaluated when none of its rules is enabled.
 * Evidence wins over configuration: an alert in the period makes its controls failing even if its
 * rule has since been disabled, because the event did happen.
 */
public final class ComplianceReportBuilder {

  private final Set<String> enabledRuleIds;
  private final Clock clock;

  /**
   * A builder for a deployment with these rules enabled.
   *
   * @param enabledRuleIds the ids of the rules the deployment runs (detections and posture rules)
   */
  public ComplianceReportBuilder(Collection<String> enabledRuleIds) {
    this(enabledRuleIds, Clock.systemUTC());
  }

  /** As {@link #ComplianceReportBuilder(Collection)}, with the clock that stamps the report. */
  public ComplianceReportBuilder(Collection<String> enabledRuleIds, Clock clock) {
    this.enabledRuleIds = Set.copyOf(enabledRuleIds);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Builds the report of a framework over [from, to).
   *
   * @param framework the framework and its control mapping
   * @param from start of the period, inclusive
   * @param to end of the period, exclusive
   * @param alerts alerts as read from {@code vigil.alerts}; several updates of one alert may be
   *     present (the topic republishes an alert as it grows), the latest update is used
   * @param posture the latest resource states as read from {@code vigil.posture}; a null element (a
   *     tombstone) is a resource that is gone
   * @return the report
   */
  public ComplianceReport build(
      Framework framework,
      Instant from,
      Instant to,
      Collection<Alert> alerts,
      Collection<ResourceState> posture) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "The period ends (" + to + ") before it starts (" + from + ")");
    }
    List<Alert> inPeriod =
        latestUpdates(alerts).stream()
            .filter(alert -> overlaps(alert, from, to))
            .sorted(
                Comparator.comparing((Alert a) -> a.getFirstSeen().toString())
                    .thenComparing(a -> a.getAlertId().toString()))
            .toList();
    List<ResourceState> states =
        posture.stream()
            // The posture topic holds the latest state only; a state changed after the period says
            // nothing reliable about the period, and a deleted resource fails nothing any more. A
            // null
            // is a tombstone passed through as read from the topic: the resource is gone.
            .filter(
                state ->
                    state != null
                        && !state.getDeleted()
                        && state.getUpdatedAt() != null
                        && state.getUpdatedAt().isBefore(to))
            .sorted(Comparator.comparing((ResourceState s) -> s.getArn().toString()))
            .toList();

    List<ControlResult> results = new ArrayList<>();
    Set<String> citedAlerts = new HashSet<>();
    Set<String> citedResources = new HashSet<>();
    int failing = 0;
    int passing = 0;
    int notEvaluated = 0;
    for (Framework.Control control : framework.controls()) {
      Set<String> rules = Set.copyOf(control.rules());
      List<AlertEvidence> alertEvidence =
          inPeriod.stream()
              .filter(alert -> rules.contains(alert.getRuleId().toString()))
              .map(ComplianceReportBuilder::evidence)
              .toList();
      List<ResourceEvidence> resourceEvidence = new ArrayList<>();
      for (ResourceState state : states) {
        for (CharSequence failingRule : state.getFailingControls()) {
          if (rules.contains(failingRule.toString())) {
            resourceEvidence.add(evidence(state, failingRule.toString()));
          }
        }
      }
      List<String> notEnabled =
          control.rules().stream().filter(rule -> !enabledRuleIds.contains(rule)).toList();
      Status status;
      if (!alertEvidence.isEmpty() || !resourceEvidence.isEmpty()) {
        status = Status.FAILING;
        failing++;
      } else if (notEnabled.size() < control.rules().size()) {
        status = Status.PASSING;
        passing++;
      } else {
        status = Status.NOT_EVALUATED;
        notEvaluated++;
      }
      alertEvidence.forEach(a -> citedAlerts.add(a.alertId()));
      resourceEvidence.forEach(r -> citedResources.add(r.arn()));
      results.add(
          new ControlResult(
              control.id(),
              control.title(),
              control.section(),
              control.evaluation(),
              status,
              control.rules(),
              notEnabled,
              alertEvidence,
              resourceEvidence));
    }
    ComplianceReport.Summary summary =
        new ComplianceReport.Summary(
            results.size(),
            failing,
            passing,
            notEvaluated,
            framework.notEvaluated().size(),
            citedAlerts.size(),
            citedResources.size());
    return new ComplianceReport(
        framework.id(),
        framework.name(),
        framework.version(),
        from.toString(),
        to.toString(),
        clock.instant().toString(),
        summary,
        results,
        framework.notEvaluated());
  }

  /** One alert per alert_id: the highest update, which carries the final count and event ids. */
  private static Collection<Alert> latestUpdates(Collection<Alert> alerts) {
    Map<String, Alert> latest = new LinkedHashMap<>();
    for (Alert alert : alerts) {
      latest.merge(
          alert.getAlertId().toString(), alert, (a, b) -> b.getUpdate() >= a.getUpdate() ? b : a);
    }
    return latest.values();
  }

  /** Whether the alert's [first_seen, last_seen] meets [from, to). */
  private static boolean overlaps(Alert alert, Instant from, Instant to) {
    Instant first = parse(alert.getFirstSeen());
    Instant last = parse(alert.getLastSeen());
    if (first == null || last == null) {
      return false;
    }
    return first.isBefore(to) && !last.isBefore(from);
  }

  private static Instant parse(CharSequence time) {
    if (time == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(time).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static AlertEvidence evidence(Alert alert) {
    return new AlertEvidence(
        alert.getAlertId().toString(),
        alert.getRuleId().toString(),
        alert.getTitle().toString(),
        alert.getSeverity().name(),
        alert.getEntity().toString(),
        text(alert.getAccountId()),
        text(alert.getRegion()),
        alert.getFirstSeen().toString(),
        alert.getLastSeen().toString(),
        alert.getCount(),
        strings(alert.getEventIds()));
  }

  private static ResourceEvidence evidence(ResourceState state, String failingRule) {
    return new ResourceEvidence(
        state.getArn().toString(),
        state.getResourceType().toString(),
        text(state.getAccountId()),
        text(state.getRegion()),
        failingRule,
        strings(state.getEstablishedByEventIds()),
        state.getUpdatedAt().toString());
  }

  private static String text(CharSequence value) {
    return value == null ? null : value.toString();
  }

  private static List<String> strings(List<? extends CharSequence> values) {
    return values == null ? List.of() : values.stream().map(CharSequence::toString).toList();
  }
}
