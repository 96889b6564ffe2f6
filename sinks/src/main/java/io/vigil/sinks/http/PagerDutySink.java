package io.vigil.sinks.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.schemas.TriageChange;
import io.vigil.sinks.Secret;
import io.vigil.sinks.SinkConfig;
import io.vigil.sinks.SinkContext;
import io.vigil.sinks.SinkSettings;
import io.vigil.sinks.delivery.DeliveryException;
import io.vigil.sinks.delivery.Sink;
import io.vigil.sinks.incidents.IncidentTracker;
import io.vigil.sinks.render.SeverityScale;
import io.vigil.sinks.render.Workflow;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * PagerDuty Events API v2: one {@code trigger} event per alert publication (and, by {@link Triage},
 * {@code acknowledge} and {@code resolve} as analysts triage it in Vigil), with {@code dedup_key} =
 * the alert's dedup key, so that an update of an alert lands on the incident the first publication
 * opened (PagerDuty folds triggers with the same key into the open alert) instead of paging again.
 * Severity is mapped by {@link SeverityScale#pagerDuty}; rule, entity, count, compliance and
 * evidence go to {@code custom_details}; a link to the Vigil console is added when {@code
 * console_url} is configured.
 *
 * <p>With {@code page_per: incident}, alerts are grouped into incidents as they are delivered
 * ({@link IncidentTracker}) and every alert of an incident triggers with the incident's key: one
 * page per incident, its severity the highest of its alerts.
 */
public final class PagerDutySink implements Sink<Alert> {

  /** PagerDuty's public enqueue endpoint. */
  public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_SUMMARY = 1024;
  private static final int MAX_DEDUP_KEY = 255;
  // Longer than the runner takes to recall the alerts of an incident window.
  private static final Duration RECALL_WAIT = Duration.ofSeconds(90);

  private final Config config;
  private final HttpReceiver receiver;

  PagerDutySink(Config config, SinkContext context) {
    this.config = config;
    this.receiver =
        new HttpReceiver(context.http(), config.url(), config.timeout(), context.clock());
  }

  @Override
  public void deliver(List<Alert> alerts) throws DeliveryException {
    Alert alert = alerts.get(0);
    ObjectNode event =
        config.incidents() == null ? event(alert) : event(alert, config.incidents().place(alert));
    receiver.post(event.toString(), Map.of());
  }

  // Paging per incident: after a restart, the incidents of the last window are placed again from
  // the alerts already delivered, so their next alert pages the same incident.
  @Override
  public Duration memory() {
    return config.incidents() == null ? Duration.ZERO : config.incidents().window();
  }

  // Recalled partition by partition, the alerts are placed again in first-seen order, the order
  // they were delivered in unless related alerts arrived out of it: so each incident gets back the
  // key its page used.
  @Override
  public void remember(List<Alert> alerts) {
    alerts.stream()
        .sorted(
            java.util.Comparator.comparing(Alert::getFirstSeen).thenComparing(Alert::getDedupKey))
        .forEach(config.incidents()::place);
    config.incidents().recalled();
  }

  /** The Events v2 body for one alert (the routing key included). */
  ObjectNode event(Alert alert) {
    return event(alert, alert.getSeverity(), dedupKey(alert), summary(alert));
  }

  /**
   * The Events v2 body for one alert of {@code incident}: the incident's key and highest severity,
   * and a summary that says how many alerts it holds.
   */
  ObjectNode event(Alert alert, IncidentTracker.Incident incident) {
    int size = incident.alerts().size();
    String summary =
        size == 1
            ? summary(alert)
            : "["
                + incident.severity().name().toUpperCase(Locale.ROOT)
                + "] Incident of "
                + size
                + " alerts from "
                + incident.first().getTitle()
                + ", latest "
                + subject(alert);
    ObjectNode event = event(alert, incident.severity(), dedupKey(incident.key()), summary);
    ObjectNode details = (ObjectNode) event.get("payload").get("custom_details");
    details.put("incident", incident.key());
    details.put("incident_alerts", size);
    incident.alerts().stream()
        .map(Alert::getRuleId)
        .distinct()
        .forEach(details.putArray("incident_rules")::add);
    return event;
  }

  private static String summary(Alert alert) {
    return "[" + alert.getSeverity().name().toUpperCase(Locale.ROOT) + "] " + subject(alert);
  }

  // What the alert is about: its title, entity, account and region.
  private static String subject(Alert alert) {
    return alert.getTitle()
        + ": "
        + alert.getEntity()
        + (alert.getAccountId() != null ? " in " + alert.getAccountId() : "")
        + (alert.getRegion() != null ? " " + alert.getRegion() : "");
  }

  private ObjectNode event(Alert alert, Severity severity, String dedupKey, String summary) {
    ObjectNode event = MAPPER.createObjectNode();
    event.put("routing_key", config.routingKey().reveal());
    event.put("event_action", "trigger");
    event.put("dedup_key", dedupKey);
    event.put("client", "Vigil");
    ObjectNode payload = event.putObject("payload");
    payload.put(
        "summary",
        summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY - 3) + "..." : summary);
    payload.put("severity", SeverityScale.pagerDuty(severity));
    payload.put(
        "source",
        alert.getAccountId() != null
            ? "aws:"
                + alert.getAccountId()
                + (alert.getRegion() != null ? ":" + alert.getRegion() : "")
            : alert.getEntity());
    payload.put("timestamp", alert.getFirstSeen());
    payload.put("component", alert.getEntity());
    if (alert.getAccountId() != null) {
      payload.put("group", alert.getAccountId());
    }
    payload.put("class", alert.getRuleId());
    ObjectNode details = payload.putObject("custom_details");
    details.put("rule", alert.getRuleId());
    details.put("title", alert.getTitle());
    details.put("entity", alert.getEntity());
    details.put("count", alert.getCount());
    details.put("first_seen", alert.getFirstSeen());
    details.put("last_seen", alert.getLastSeen());
    details.put("update", alert.getUpdate());
    details.put("idempotency_key", Sink.idempotencyKey(alert));
    if (alert.getDescription() != null) {
      details.put("description", alert.getDescription());
    }
    alert.getCompliance().forEach(details.putArray("compliance")::add);
    alert.getAttack().forEach(details.putArray("attack")::add);
    ObjectNode evidence = details.putObject("evidence");
    new TreeMap<>(alert.getEvidence()).forEach(evidence::put);
    if (config.consoleUrl() != null) {
      String href =
          config
              .consoleUrl()
              .replace("{alert_id}", encode(alert.getAlertId()))
              .replace("{dedup_key}", encode(alert.getDedupKey()))
              .replace("{rule_id}", encode(alert.getRuleId()));
      ObjectNode link = event.putArray("links").addObject();
      link.put("href", href);
      link.put("text", "Open in Vigil");
      event.put("client_url", href);
    }
    return event;
  }

  /** The alert's dedup key, hashed when longer than PagerDuty's 255 characters. */
  static String dedupKey(Alert alert) {
    return dedupKey(alert.getDedupKey());
  }

  /** A dedup key as PagerDuty takes it: hashed when longer than its 255 characters. */
  static String dedupKey(String key) {
    if (key.length() <= MAX_DEDUP_KEY) {
      return key;
    }
    try {
      return "sha256:"
          + HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Settings of a {@code pagerduty} sink: {@code routing_key} (required, secret), {@code url}
   * (default the public enqueue endpoint), {@code console_url} (optional link template with {@code
   * {alert_id}}, {@code {dedup_key}} and {@code {rule_id}} placeholders), {@code timeout} (default
   * 10s), {@code page_per} ({@code alert}, the default, or {@code incident}) with {@code
   * incident_window} (default 1h, as {@code GET /api/incidents}).
   *
   * @param incidents the incidents of this sink when it pages per incident, else {@code null}
   */
  public record Config(
      URI url, Secret routingKey, String consoleUrl, Duration timeout, IncidentTracker incidents)
      implements SinkConfig {

    /** How long apart two alerts on one pivot may begin and still be one incident, by default. */
    public static final Duration DEFAULT_INCIDENT_WINDOW = Duration.ofHours(1);

    public Config(URI url, Secret routingKey, String consoleUrl, Duration timeout) {
      this(url, routingKey, consoleUrl, timeout, null);
    }

    public static Config parse(SinkSettings s) {
      URI url = s.url("url", DEFAULT_URL, false);
      Secret routingKey = s.secret("routing_key", true);
      String console = s.string("console_url", null);
      Duration timeout = s.duration("timeout", Duration.ofSeconds(10));
      String pagePer = s.string("page_per", "alert");
      Duration window = s.duration("incident_window", DEFAULT_INCIDENT_WINDOW);
      IncidentTracker incidents = null;
      if (pagePer.equals("incident")) {
        incidents = new IncidentTracker(window);
      } else if (!pagePer.equals("alert")) {
        s.problem("page_per", "expected alert or incident, got '" + pagePer + "'");
      } else if (s.has("incident_window")) {
        s.problem("incident_window", "applies only with page_per: incident");
      }
      if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(7)) > 0) {
        s.problem("incident_window", "must be more than 0 and at most 7d");
      }
      return url == null || routingKey == null
          ? null
          : new Config(url, routingKey, console, timeout, incidents);
    }

    @Override
    public Sink<Alert> open(SinkContext context) {
      return new PagerDutySink(this, context);
    }

    @Override
    public Sink<TriageChange> openTriage(SinkContext context) {
      return new Triage(this, context.workflows(), context);
    }

    @Override
    public List<Secret> secrets() {
      return List.of(routingKey);
    }
  }

  /**
   * Paging follows triage: an alert acknowledged in Vigil is acknowledged in PagerDuty, and one
   * resolved, or marked a false positive, is resolved there (PagerDuty has no false positive), by
   * the same dedup key as its trigger. A reopen or an assignment sends nothing: PagerDuty cannot
   * take an acknowledgement back, and the next match of the alert triggers it again anyway.
   *
   * <p>Paging per incident, acknowledging any alert of an incident acknowledges its page (someone
   * is on it), and the page is resolved when the last of its alerts is resolved or called a false
   * positive. A change of an alert this sink placed in no incident it still holds, and that does
   * not carry the alert, sends nothing.
   */
  static final class Triage implements Sink<TriageChange> {

    private final Config config;
    private final Workflow.Lookup workflows;
    private final HttpReceiver receiver;

    Triage(Config config, Workflow.Lookup workflows, SinkContext context) {
      this.config = config;
      this.workflows = workflows;
      this.receiver =
          new HttpReceiver(context.http(), config.url(), config.timeout(), context.clock());
    }

    @Override
    public void deliver(List<TriageChange> changes) throws DeliveryException {
      if (config.incidents() != null) {
        try {
          config.incidents().awaitRecalled(RECALL_WAIT);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw DeliveryException.retryable("interrupted", "interrupted while starting", null);
        }
      }
      Optional<ObjectNode> event = event(changes.get(0));
      if (event.isPresent()) {
        receiver.post(event.get().toString(), Map.of());
      }
    }

    /** The Events v2 body for a change, when PagerDuty has an action for it. */
    Optional<ObjectNode> event(TriageChange change) {
      if (change.getStatus() == null) {
        return Optional.empty();
      }
      String action =
          switch (change.getStatus()) {
            case acknowledged -> "acknowledge";
            case resolved, false_positive -> "resolve";
            case open -> null;
          };
      if (action == null) {
        return Optional.empty();
      }
      String key = change.getDedupKey();
      if (config.incidents() != null) {
        Optional<IncidentTracker.Incident> incident =
            config.incidents().incidentOf(change.getDedupKey());
        // Triaged before this sink delivered it (it runs behind): placed now, as it will be then.
        if (incident.isEmpty() && change.getAlert() != null) {
          incident = Optional.of(config.incidents().place(change.getAlert()));
        }
        if (incident.isEmpty()
            || (action.equals("resolve") && !allOthersClosed(incident.get(), change))) {
          return Optional.empty();
        }
        key = incident.get().key();
      }
      ObjectNode event = MAPPER.createObjectNode();
      event.put("routing_key", config.routingKey().reveal());
      event.put("event_action", action);
      event.put("dedup_key", dedupKey(key));
      return Optional.of(event);
    }

    // Whether every alert of the incident but the one changed is resolved or a false positive.
    private boolean allOthersClosed(IncidentTracker.Incident incident, TriageChange change) {
      return incident.alerts().stream()
          .filter(alert -> !alert.getDedupKey().equals(change.getDedupKey()))
          .allMatch(alert -> workflows.of(alert).closed());
    }
  }
}
