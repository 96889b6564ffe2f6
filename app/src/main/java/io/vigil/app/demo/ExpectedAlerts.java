package io.vigil.app.demo;

import io.vigil.schemas.Alert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alerts a {@code vigil demo} run waits for, and which of them it has seen. An alert belongs to
 * a scenario when its {@code event_ids} include an id that scenario published in this run (fresh
 * ids every run, so an alert of an earlier run or of real traffic never counts), and it satisfies
 * the expectation of its rule. Alerts of a scenario that it does not expect (posture findings about
 * the same events, say) are kept as extras; any alert on a benign scenario's events is a false
 * positive. Not thread-safe.
 */
public final class ExpectedAlerts {

  /** One expected rule of one scenario, and the alert that satisfied it, if any yet. */
  public static final class Expectation {
    private final ScenarioPublisher.Published scenario;
    private final String ruleId;
    private Alert seen;

    Expectation(ScenarioPublisher.Published scenario, String ruleId) {
      this.scenario = scenario;
      this.ruleId = ruleId;
    }

    public String scenario() {
      return scenario.run().scenario().name();
    }

    public String ruleId() {
      return ruleId;
    }

    public Optional<Alert> seen() {
      return Optional.ofNullable(seen);
    }
  }

  private final List<ScenarioPublisher.Published> published;
  private final List<Expectation> expectations = new ArrayList<>();
  private final Map<String, List<Alert>> unexpected = new LinkedHashMap<>();

  public ExpectedAlerts(List<ScenarioPublisher.Published> published) {
    this.published = List.copyOf(published);
    for (ScenarioPublisher.Published p : this.published) {
      p.run().scenario().expect().forEach(rule -> expectations.add(new Expectation(p, rule)));
    }
  }

  /** Takes an alert in; returns the expectations it satisfied for the first time. */
  public List<Expectation> record(Alert alert) {
    List<Expectation> satisfied = new ArrayList<>();
    for (ScenarioPublisher.Published p : published) {
      if (alert.getEventIds().stream().noneMatch(p.eventRefs()::contains)) {
        continue;
      }
      String name = p.run().scenario().name();
      if (p.run().scenario().expect().contains(alert.getRuleId())) {
        for (Expectation e : expectations) {
          if (e.scenario == p && e.ruleId.equals(alert.getRuleId()) && e.seen == null) {
            e.seen = alert;
            satisfied.add(e);
          }
        }
      } else {
        List<Alert> others = unexpected.computeIfAbsent(name, k -> new ArrayList<>());
        // An alert is re-emitted as it is updated: keep its latest version once.
        others.removeIf(a -> a.getDedupKey().equals(alert.getDedupKey()));
        others.add(alert);
      }
    }
    return satisfied;
  }

  /** Every expectation, in scenario order. */
  public List<Expectation> expectations() {
    return List.copyOf(expectations);
  }

  /** Whether every expected alert was seen. */
  public boolean complete() {
    return expectations.stream().allMatch(e -> e.seen != null);
  }

  /** Alerts on a scenario's events that the scenario does not expect, by scenario name. */
  public Map<String, List<Alert>> unexpected() {
    return Map.copyOf(unexpected);
  }

  /** Alerts raised by the events of a benign scenario, by scenario name: false positives. */
  public Map<String, List<Alert>> falsePositives() {
    Map<String, List<Alert>> hits = new LinkedHashMap<>();
    for (ScenarioPublisher.Published p : published) {
      String name = p.run().scenario().name();
      if (p.run().scenario().benign() && unexpected.containsKey(name)) {
        hits.put(name, List.copyOf(unexpected.get(name)));
      }
    }
    return hits;
  }
}
