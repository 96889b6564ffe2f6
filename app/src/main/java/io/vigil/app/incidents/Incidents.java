package io.vigil.app.incidents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertPivots;
import io.vigil.schemas.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Alerts that are one story, grouped: two alerts belong to the same incident when they share a
 * pivot (the same principal, access key, resource or source address) and the later one began within
 * {@code window} of the end of the other (first seen against last seen). Grouping is transitive: a
 * principal's alert and its source address's alert join the incident of that address's other
 * alerts. An incident has the highest severity of its alerts and a timeline of them, oldest first.
 *
 * <p>Computed on request from the alerts held (no state of its own): the incident of an alert can
 * grow as alerts arrive, and its id is the id of its earliest alert, so it stays the same.
 */
public final class Incidents {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** One incident: its alerts in time order and the pivots that joined them. */
  public record Incident(String id, List<Alert> alerts, Map<String, Set<String>> pivots) {

    public Severity severity() {
      return alerts.stream().map(Alert::getSeverity).max(Comparator.naturalOrder()).orElseThrow();
    }

    public String firstSeen() {
      return alerts.get(0).getFirstSeen();
    }

    public String lastSeen() {
      return alerts.stream().map(Alert::getLastSeen).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** The incident as the API writes it: summary, pivots and the timeline of its alerts. */
    public ObjectNode json() {
      ObjectNode json = NODES.objectNode();
      json.put("incident_id", id);
      json.put("severity", severity().name());
      json.put("first_seen", firstSeen());
      json.put("last_seen", lastSeen());
      json.put("alert_count", alerts.size());
      ObjectNode pivotJson = json.putObject("pivots");
      pivots.forEach((kind, values) -> values.forEach(pivotJson.withArray(kind)::add));
      ArrayNode rules = json.putArray("rules");
      alerts.stream().map(Alert::getRuleId).distinct().forEach(rules::add);
      ArrayNode timeline = json.putArray("timeline");
      for (Alert alert : alerts) {
        timeline
            .addObject()
            .put("alert_id", alert.getAlertId())
            .put("rule_id", alert.getRuleId())
            .put("title", alert.getTitle())
            .put("severity", alert.getSeverity().name())
            .put("entity", alert.getEntity())
            .put("first_seen", alert.getFirstSeen())
            .put("last_seen", alert.getLastSeen())
            .put("count", alert.getCount());
      }
      return json;
    }
  }

  private Incidents() {}

  /**
   * The incidents among {@code alerts}, highest severity first, then the latest last seen. An alert
   * that shares no pivot within the window is an incident of its own.
   */
  public static List<Incident> group(List<Alert> alerts, Duration window) {
    List<Alert> ordered = new ArrayList<>(alerts);
    ordered.sort(Comparator.comparing(Incidents::firstSeen).thenComparing(Alert::getAlertId));
    int[] parent = new int[ordered.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    // Per pivot value, the alert most recently seen with it and until when.
    Map<String, Integer> lastWith = new HashMap<>();
    Map<String, Instant> lastUntil = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      Alert alert = ordered.get(i);
      Instant first = firstSeen(alert);
      Instant last = lastSeen(alert);
      for (String pivot : AlertPivots.of(alert).keySet()) {
        Integer previous = lastWith.get(pivot);
        Instant until = lastUntil.get(pivot);
        if (previous != null && !first.isAfter(until.plus(window))) {
          union(parent, previous, i);
          lastUntil.put(pivot, last.isAfter(until) ? last : until);
        } else {
          lastUntil.put(pivot, last);
        }
        lastWith.put(pivot, i);
      }
    }
    Map<Integer, List<Alert>> byRoot = new LinkedHashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      byRoot.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(ordered.get(i));
    }
    List<Incident> incidents = new ArrayList<>();
    for (List<Alert> members : byRoot.values()) {
      Map<String, Set<String>> pivots = new LinkedHashMap<>();
      for (Alert alert : members) {
        AlertPivots.of(alert)
            .forEach(
                (value, kind) -> pivots.computeIfAbsent(kind, k -> new TreeSet<>()).add(value));
      }
      incidents.add(new Incident(members.get(0).getAlertId(), List.copyOf(members), pivots));
    }
    incidents.sort(
        Comparator.comparing(Incident::severity)
            .reversed()
            .thenComparing(Incident::lastSeen, Comparator.reverseOrder()));
    return incidents;
  }

  private static Instant firstSeen(Alert alert) {
    return instant(alert.getFirstSeen());
  }

  private static Instant lastSeen(Alert alert) {
    Instant last = instant(alert.getLastSeen());
    return last.isBefore(firstSeen(alert)) ? firstSeen(alert) : last;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException | NullPointerException e) {
      return Instant.EPOCH;
    }
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      // The earlier alert's root stays the root: the incident keeps its first alert's id.
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
