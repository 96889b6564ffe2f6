package io.vigil.sinks.incidents;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertPivots;
import io.vigil.schemas.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Alerts grouped into incidents as a sink delivers them, for paging once per incident: an alert
 * joins the incident of an earlier one when they share a pivot ({@link AlertPivots}: principal,
 * access key, resource, source address) and it began within {@code window} of that one's last
 * match. That is the rule of the API's incidents ({@code GET /api/incidents}), applied in delivery
 * order instead of over every alert at once, so a page already sent is never split or merged: an
 * alert that links two open incidents joins the older one. Every update of an alert stays in the
 * incident its first publication joined.
 *
 * <p>Bounded: an incident whose last match is more than two windows behind the latest alert seen is
 * forgotten with its pivots, and at most {@link #MAX_INCIDENTS} are held (the least recent go
 * first). Thread-safe: the alert and triage runners of one sink share it.
 */
public final class IncidentTracker {

  /** The most incidents held at once. */
  public static final int MAX_INCIDENTS = 20_000;

  private final Duration window;
  private final Map<String, Incident> byDedupKey = new HashMap<>();
  // Per pivot value: the incident last seen with it.
  private final Map<String, Incident> byPivot = new HashMap<>();
  private final LinkedHashMap<String, Incident> byKey = new LinkedHashMap<>(16, 0.75f, true);
  private final CountDownLatch recalled = new CountDownLatch(1);
  private Instant latest = Instant.EPOCH;
  private long placed;

  public IncidentTracker(Duration window) {
    this.window = window;
  }

  /** How close in time two alerts on one pivot must be to be one incident. */
  public Duration window() {
    return window;
  }

  /** One incident: the alerts in it (the latest publication of each) and its page's key. */
  public static final class Incident {
    private final String key;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private Instant until;

    private Incident(String key, Instant until) {
      this.key = key;
      this.until = until;
    }

    /** The key its page uses: {@code incident:} and the dedup key of its first alert. */
    public String key() {
      return key;
    }

    // The alert runner adds to an incident while the triage runner reads it: both under its lock.

    /** Its alerts, in the order they joined, each as last published. */
    public synchronized List<Alert> alerts() {
      return List.copyOf(alerts.values());
    }

    /** The first alert, whose title names the incident. */
    public synchronized Alert first() {
      return alerts.values().iterator().next();
    }

    /** The highest severity of its alerts. */
    public synchronized Severity severity() {
      return alerts.values().stream()
          .map(Alert::getSeverity)
          .max(Comparator.naturalOrder())
          .orElseThrow();
    }
  }

  /** Says that the incidents delivered before this process started have been placed again. */
  public void recalled() {
    recalled.countDown();
  }

  /**
   * Waits until the incidents delivered before this process started are placed again (at most
   * {@code timeout}), so that a triage change of a new alert finds the incident it joins.
   */
  public void awaitRecalled(Duration timeout) throws InterruptedException {
    recalled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Places {@code alert} (a publication, maybe an update) in its incident and returns that. */
  public synchronized Incident place(Alert alert) {
    Instant first = time(alert.getFirstSeen());
    Instant last = time(alert.getLastSeen());
    if (last.isBefore(first)) {
      last = first;
    }
    java.util.Set<String> pivots = AlertPivots.of(alert).keySet();
    Incident incident = byDedupKey.get(alert.getDedupKey());
    if (incident == null) {
      incident = joinable(pivots, first);
    }
    if (incident == null) {
      incident = new Incident("incident:" + alert.getDedupKey(), last);
      byKey.put(incident.key, incident);
    }
    byKey.get(incident.key); // most recently used
    synchronized (incident) {
      incident.alerts.put(alert.getDedupKey(), alert);
      if (last.isAfter(incident.until)) {
        incident.until = last;
      }
    }
    byDedupKey.put(alert.getDedupKey(), incident);
    for (String pivot : pivots) {
      byPivot.put(pivot, incident);
    }
    if (last.isAfter(latest)) {
      latest = last;
    }
    if (++placed % 1_000 == 0 || byKey.size() > MAX_INCIDENTS) {
      forget();
    }
    return incident;
  }

  /** The incident the alert with this dedup key was placed in, if it is still held. */
  public synchronized Optional<Incident> incidentOf(String dedupKey) {
    return Optional.ofNullable(byDedupKey.get(dedupKey));
  }

  @Override
  public String toString() {
    return "IncidentTracker[window=" + window + "]";
  }

  /** How many incidents are held. */
  public synchronized int size() {
    return byKey.size();
  }

  // The oldest incident among those an alert beginning at `first` with these pivots shares one
  // with in the window, if any.
  private Incident joinable(java.util.Set<String> pivots, Instant first) {
    Incident joined = null;
    for (String pivot : pivots) {
      Incident candidate = byPivot.get(pivot);
      if (candidate != null
          && byKey.containsKey(candidate.key)
          && !first.isAfter(candidate.until.plus(window))
          && (joined == null || older(candidate, joined))) {
        joined = candidate;
      }
    }
    return joined;
  }

  private static boolean older(Incident a, Incident b) {
    return time(a.first().getFirstSeen()).isBefore(time(b.first().getFirstSeen()));
  }

  private void forget() {
    Instant horizon = latest.minus(window.multipliedBy(2));
    List<Incident> gone = new ArrayList<>();
    for (Iterator<Incident> it = byKey.values().iterator(); it.hasNext(); ) {
      Incident incident = it.next();
      if (incident.until.isBefore(horizon) || byKey.size() - gone.size() > MAX_INCIDENTS) {
        gone.add(incident);
      }
    }
    for (Incident incident : gone) {
      byKey.remove(incident.key);
      incident.alerts.keySet().forEach(byDedupKey::remove);
    }
    byPivot.values().removeIf(incident -> !byKey.containsKey(incident.key));
  }

  private static Instant time(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException | NullPointerException e) {
      return Instant.EPOCH;
    }
  }
}
