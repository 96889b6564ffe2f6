package io.vigil.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.vigil.app.access.User;
import io.vigil.app.access.Users;
import io.vigil.app.incidents.Incidents;
import io.vigil.app.rules.AttackCoverage;
import io.vigil.app.rules.CoverageEvidence;
import io.vigil.app.runtime.ComponentKind;
import io.vigil.app.runtime.PipelineComponent;
import io.vigil.app.runtime.StreamsComponent;
import io.vigil.app.suppressions.Mutes;
import io.vigil.app.triage.TriageLog;
import io.vigil.app.triage.TriageState;
import io.vigil.schemas.Aggregate;
import io.vigil.schemas.Alert;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.ResourceState;
import io.vigil.sigma.model.RuleSet;
import io.vigil.streams.alerts.AlertViewTopology;
import io.vigil.streams.events.EventStoreTopology;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The read API over Kafka Streams' state (interactive queries), JSON on the HTTP port: {@code
 * /api/posture} (filters {@code type}, {@code account}, {@code failing=true}; deleted resources
 * only with {@code deleted=true}), {@code /api/posture/{arn}} (deleted ones too, until their
 * tombstone), {@code /api/alerts} (filters {@code rule}, {@code severity}, {@code status}, {@code
 * assignee}; each alert with its triage {@code status} and {@code assignee}; one alert and its
 * triage, and the events behind it, under {@code /api/alerts/{alert_id}}, see {@link TriageApi}),
 * {@code /api/incidents} ({@link Incidents}), {@code /api/suppressions} ({@link SuppressionApi}),
 * {@code /api/me} (who is asking) and {@code /api/aggregates} ({@code window}, {@code name}, {@code
 * from}, {@code to}). Alerts, posture, incidents and reports come from the alert-view component's
 * global stores ({@link AlertViewTopology}): every instance holds every partition's alerts and
 * resources, so any instance answers for the whole cluster. Aggregates and the events behind an
 * alert come from partitioned stores: this instance's part and the other instances' ({@link
 * Peers}), unless {@code scope=local} asks for this instance's part only. While a store is not
 * available (starting, restoring) the answer is 503.
 */
public final class QueryApi {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final int DEFAULT_LIMIT = 1000;

  private final Map<ComponentKind, KafkaStreams> streams;
  private final List<Duration> aggregateWindows;
  private final java.util.Set<String> enabledRules;
  private final RuleSet rules;
  // The rules in force and their ATT&CK tags do not change while the API runs: built once.
  private final AttackCoverage coverage;
  private final TriageLog triage;
  private final Peers peers;

  private QueryApi(
      Map<ComponentKind, KafkaStreams> streams,
      List<Duration> aggregateWindows,
      java.util.Set<String> enabledRules,
      RuleSet rules,
      TriageLog triage,
      Peers peers) {
    this.triage = triage;
    this.peers = peers;
    this.streams = streams;
    this.aggregateWindows = aggregateWindows;
    this.enabledRules = enabledRules;
    this.rules = rules;
    this.coverage = AttackCoverage.of(rules, Map.of());
  }

  /**
   * Serves the API from the Streams components among {@code components}, with each alert's triage
   * from {@code triage} (assignees are among {@code users}, when there are any); the other
   * instances' partitions of the aggregates and the events come from {@code peers}.
   */
  public static void register(
      HttpEndpoints http,
      List<PipelineComponent> components,
      List<Duration> aggregateWindows,
      java.util.Set<String> enabledRules,
      RuleSet rules,
      TriageLog triage,
      Mutes mutes,
      Users users,
      Peers peers) {
    Map<ComponentKind, KafkaStreams> byKind = new EnumMap<>(ComponentKind.class);
    for (PipelineComponent component : components) {
      if (component instanceof StreamsComponent s) {
        byKind.put(s.kind(), s.streams());
      }
    }
    QueryApi api = new QueryApi(byKind, aggregateWindows, enabledRules, rules, triage, peers);
    http.handle("/api/reports/", api::report);
    http.handle("/api/posture", api::posture);
    http.handle("/api/alerts", api::alerts);
    http.handle(
        "/api/alerts/", new TriageApi(triage, users, api::alertById, api::alertEvents)::handle);
    http.handle("/api/me", QueryApi::me);
    http.handle("/api/incidents", api::incidents);
    http.handle("/api/suppressions", new SuppressionApi(mutes)::handle);
    http.handle("/api/aggregates", api::aggregates);
    http.handle("/api/coverage", api::coverage);
  }

  /**
   * {@code /api/coverage?days=N} (default 30): {@code vigil rules coverage}'s JSON with this
   * instance's evidence per rule ({@link CoverageEvidence}): were the events the rule needs seen in
   * the last N days, and when did it last fire.
   */
  private void coverage(HttpExchange exchange) throws IOException {
    KafkaStreams aggregatesApp = streams.get(ComponentKind.AGGREGATES);
    KafkaStreams alertView = streams.get(ComponentKind.ALERT_VIEW);
    if (aggregatesApp == null || alertView == null) {
      HttpEndpoints.send(
          exchange,
          404,
          "text/plain",
          "coverage needs the aggregates and alert-view components in this instance\n");
      return;
    }
    int days;
    try {
      days = Integer.parseInt(query(exchange).getOrDefault("days", "30"));
    } catch (NumberFormatException e) {
      days = -1;
    }
    if (days < 1 || days > 3660) {
      HttpEndpoints.send(
          exchange, 400, "text/plain", "days: expected a whole number from 1 to 3660\n");
      return;
    }
    try {
      List<Aggregate> seen =
          values(aggregatesApp, io.vigil.streams.aggregates.AggregatesTopology.SEEN_STORE);
      List<Alert> alerts = values(alertView, AlertViewTopology.STORE);
      Duration lookBack = Duration.ofDays(days);
      HttpEndpoints.send(
          exchange,
          200,
          "application/json",
          coverage
              .withEvidence(
                  CoverageEvidence.of(
                      rules, coverage.ruleIds(), seen, alerts, Instant.now(), lookBack),
                  lookBack)
              .json());
    } catch (InvalidStateStoreException rebalancing) {
      HttpEndpoints.send(exchange, 503, "text/plain", "stores not available yet\n");
    }
  }

  /**
   * {@code /api/incidents?window=1h}: the alerts this instance holds grouped into incidents (shared
   * principal, access key, resource or source address within the window; {@link Incidents}), each
   * with its summary, pivots and timeline; {@code limit} caps how many.
   */
  private void incidents(HttpExchange exchange) throws IOException {
    KafkaStreams alertView = running(exchange, ComponentKind.ALERT_VIEW, "the alert view is");
    if (alertView == null) {
      return;
    }
    Map<String, String> q = query(exchange);
    Duration window;
    try {
      window = io.vigil.schemas.Durations.parse(q.getOrDefault("window", "1h"));
    } catch (IllegalArgumentException e) {
      HttpEndpoints.send(
          exchange,
          400,
          "text/plain",
          "window: expected " + io.vigil.schemas.Durations.EXPECTED + "\n");
      return;
    }
    if (window.isNegative() || window.compareTo(Duration.ofDays(30)) > 0) {
      HttpEndpoints.send(
          exchange, 400, "text/plain", "window: expected a duration from 0 to 30d\n");
      return;
    }
    try {
      List<Alert> alerts = values(alertView, AlertViewTopology.STORE);
      ArrayNode items = NODES.arrayNode();
      int limit = limit(q);
      for (Incidents.Incident incident : Incidents.group(alerts, window)) {
        if (items.size() >= limit) {
          break;
        }
        items.add(incident.json());
      }
      json(
          exchange,
          200,
          NODES
              .objectNode()
              .put("window", io.vigil.schemas.Durations.format(window))
              .set("incidents", items));
    } catch (InvalidStateStoreException rebalancing) {
      HttpEndpoints.send(exchange, 503, "text/plain", "alert store not available yet\n");
    }
  }

  /** Events kept around an alert's window, either side: a correlation's window starts earlier. */
  private static final Duration EVENTS_SLACK = Duration.ofHours(1);

  /** Most events of the entity given with one alert. */
  private static final int ENTITY_EVENTS_MAX = 10_000;

  /**
   * The events behind {@code alert}, as JSON lines: its own (by {@code event_ids}) first, then its
   * entity's other events in its window, in time order, from this instance's event store and,
   * unless {@code localOnly}, the other instances' ({@link Peers}); empty when the events component
   * does not run here.
   */
  private Optional<List<String>> alertEvents(Alert alert, boolean localOnly) {
    KafkaStreams app = streams.get(ComponentKind.EVENTS);
    if (app == null) {
      return Optional.empty();
    }
    List<String> local = localEvents(app, alert);
    if (localOnly) {
      return Optional.of(local);
    }
    Peers.Answers answers =
        peers.ask(app, EventStoreTopology.BY_ID, "/api/alerts/" + alert.getAlertId() + "/events");
    if (answers.bodies().isEmpty()) {
      return Optional.of(local);
    }
    List<String> all = new java.util.ArrayList<>(local);
    answers.bodies().forEach(body -> body.lines().filter(l -> !l.isBlank()).forEach(all::add));
    return Optional.of(ordered(all, alert));
  }

  /** One event line with the two fields the merge orders it by, read once. */
  private record EventLine(String id, String time, String line) {
    static EventLine of(String line) {
      try {
        com.fasterxml.jackson.databind.JsonNode event = MAPPER.readTree(line);
        return new EventLine(
            event.path("eventID").asText(), event.path("eventTime").asText(), line);
      } catch (IOException e) {
        return new EventLine("", "", line);
      }
    }
  }

  /** The alert's own events first, then the others by event time; each event once. */
  private static List<String> ordered(List<String> lines, Alert alert) {
    java.util.Set<String> own = new java.util.HashSet<>(alert.getEventIds());
    Map<String, EventLine> byId = new java.util.LinkedHashMap<>();
    for (String line : lines) {
      EventLine event = EventLine.of(line);
      byId.putIfAbsent(event.id(), event);
    }
    List<String> first = new java.util.ArrayList<>();
    List<EventLine> rest = new java.util.ArrayList<>();
    for (EventLine event : byId.values()) {
      if (own.contains(event.id())) {
        first.add(event.line());
      } else {
        rest.add(event);
      }
    }
    rest.sort(java.util.Comparator.comparing(EventLine::time));
    rest.forEach(event -> first.add(event.line()));
    return first;
  }

  private List<String> localEvents(KafkaStreams app, Alert alert) {
    Instant from = Instant.parse(alert.getFirstSeen()).minus(EVENTS_SLACK);
    Instant to = Instant.parse(alert.getLastSeen()).plus(EVENTS_SLACK);
    ReadOnlyWindowStore<String, String> byId =
        app.store(
            StoreQueryParameters.fromNameAndType(
                EventStoreTopology.BY_ID, QueryableStoreTypes.windowStore()));
    ReadOnlyWindowStore<String, String> byEntity =
        app.store(
            StoreQueryParameters.fromNameAndType(
                EventStoreTopology.BY_ENTITY, QueryableStoreTypes.windowStore()));
    List<String> lines = new java.util.ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>(alert.getEventIds());
    for (String id : alert.getEventIds()) {
      try (var found = byId.fetch(id, from, to)) {
        if (found.hasNext()) {
          lines.add(found.next().value);
        }
      }
    }
    List<KeyValue<Long, String>> others = new java.util.ArrayList<>();
    try (var found =
        byEntity.fetch(
            alert.getEntity(),
            Instant.parse(alert.getFirstSeen()),
            Instant.parse(alert.getLastSeen()))) {
      while (found.hasNext() && others.size() < ENTITY_EVENTS_MAX) {
        KeyValue<Long, String> next = found.next();
        if (!ids.contains(eventId(next.value))) {
          others.add(next);
        }
      }
    }
    others.sort(java.util.Comparator.comparing(kv -> kv.key));
    others.forEach(kv -> lines.add(kv.value));
    return lines;
  }

  private static String eventId(String json) {
    return EventLine.of(json).id();
  }

  /** {@code /api/me}: who the request is made as, and their role (the console shows both). */
  private static void me(HttpExchange exchange) throws IOException {
    User user = AccessGuard.userOf(exchange);
    json(
        exchange,
        200,
        NODES.objectNode().put("name", user.name()).put("role", user.role().label()));
  }

  /**
   * The alert with this id in this instance's alert view (a scan: the view is keyed by dedup key).
   *
   * @throws InvalidStateStoreException while the store is rebalancing
   */
  private Optional<Alert> alertById(String alertId) {
    KafkaStreams app = streams.get(ComponentKind.ALERT_VIEW);
    if (app == null) {
      return Optional.empty();
    }
    ReadOnlyKeyValueStore<String, Alert> store = keyValueStore(app, AlertViewTopology.STORE);
    try (KeyValueIterator<String, Alert> all = store.all()) {
      while (all.hasNext()) {
        Alert alert = all.next().value;
        if (alert != null && alert.getAlertId().equals(alertId)) {
          return Optional.of(alert);
        }
      }
    }
    return Optional.empty();
  }

  private void posture(HttpExchange exchange) throws IOException {
    KafkaStreams app = running(exchange, ComponentKind.ALERT_VIEW, "the posture view is");
    if (app == null) {
      return;
    }
    String path = exchange.getRequestURI().getPath();
    try {
      ReadOnlyKeyValueStore<String, ResourceState> store =
          keyValueStore(app, AlertViewTopology.POSTURE_STORE);
      if (path.length() > "/api/posture/".length()) {
        String arn =
            URLDecoder.decode(path.substring("/api/posture/".length()), StandardCharsets.UTF_8);
        ResourceState state = store.get(arn);
        if (state != null) {
          json(exchange, 200, RecordJson.toJson(state));
          return;
        }
        HttpEndpoints.send(exchange, 404, "text/plain", "no such resource: " + arn + "\n");
        return;
      }
      Map<String, String> q = query(exchange);
      String deleted = q.getOrDefault("deleted", "false");
      if (!deleted.equals("true") && !deleted.equals("false")) {
        HttpEndpoints.send(
            exchange,
            400,
            "text/plain",
            "deleted: expected true or false, got '" + deleted + "'\n");
        return;
      }
      Predicate<ResourceState> filter =
          s ->
              (q.get("type") == null || q.get("type").equalsIgnoreCase(s.getResourceType()))
                  && (q.get("account") == null || q.get("account").equals(s.getAccountId()))
                  && (!"true".equals(q.get("failing")) || !s.getFailingControls().isEmpty())
                  && (deleted.equals("true") || !s.getDeleted());
      ArrayNode items = NODES.arrayNode();
      int limit = limit(q);
      try (KeyValueIterator<String, ResourceState> all = store.all()) {
        while (all.hasNext() && items.size() < limit) {
          ResourceState state = all.next().value;
          if (state != null && filter.test(state)) {
            items.add(RecordJson.toJson(state));
          }
        }
      }
      json(exchange, 200, NODES.objectNode().set("resources", items));
    } catch (InvalidStateStoreException rebalancing) {
      HttpEndpoints.send(
          exchange,
          503,
          "text/plain",
          "posture store not available yet: " + rebalancing.getMessage() + "\n");
    }
  }

  private void alerts(HttpExchange exchange) throws IOException {
    KafkaStreams app = running(exchange, ComponentKind.ALERT_VIEW, "the alert view is");
    if (app == null) {
      return;
    }
    Map<String, String> q = query(exchange);
    try {
      ReadOnlyKeyValueStore<String, Alert> store = keyValueStore(app, AlertViewTopology.STORE);
      ArrayNode items = NODES.arrayNode();
      int limit = limit(q);
      try (KeyValueIterator<String, Alert> all = store.all()) {
        while (all.hasNext() && items.size() < limit) {
          Alert alert = all.next().value;
          if (alert == null) {
            continue;
          }
          TriageState state = triage.state(alert.getAlertId());
          if ((q.get("rule") == null || q.get("rule").equals(alert.getRuleId()))
              && (q.get("severity") == null
                  || q.get("severity").equalsIgnoreCase(alert.getSeverity().name()))
              && (q.get("status") == null
                  || q.get("status").equals(state.status(alert.getUpdate()).name()))
              && (q.get("assignee") == null || q.get("assignee").equals(state.assignee()))) {
            items.add(triage.json(alert));
          }
        }
      }
      json(exchange, 200, NODES.objectNode().set("alerts", items));
    } catch (InvalidStateStoreException rebalancing) {
      HttpEndpoints.send(exchange, 503, "text/plain", "alert store not available yet\n");
    }
  }

  private void aggregates(HttpExchange exchange) throws IOException {
    KafkaStreams app = running(exchange, ComponentKind.AGGREGATES, "aggregates are");
    if (app == null) {
      return;
    }
    Map<String, String> q = query(exchange);
    String window =
        q.getOrDefault(
            "window",
            io.vigil.streams.aggregates.AggregatesTopology.label(aggregateWindows.get(0)));
    Optional<Duration> size =
        aggregateWindows.stream()
            .filter(d -> io.vigil.streams.aggregates.AggregatesTopology.label(d).equals(window))
            .findFirst();
    if (size.isEmpty()) {
      HttpEndpoints.send(
          exchange,
          400,
          "text/plain",
          "window: expected one of "
              + aggregateWindows.stream()
                  .map(io.vigil.streams.aggregates.AggregatesTopology::label)
                  .toList()
              + ", got '"
              + window
              + "'\n");
      return;
    }
    Instant to;
    Instant from;
    try {
      to = q.containsKey("to") ? Instant.parse(q.get("to")) : Instant.now();
      from =
          q.containsKey("from")
              ? Instant.parse(q.get("from"))
              : to.minus(size.get().multipliedBy(60));
    } catch (java.time.format.DateTimeParseException e) {
      HttpEndpoints.send(
          exchange,
          400,
          "text/plain",
          "from/to: expected ISO-8601 instants such as 2026-11-28T10:00:00Z\n");
      return;
    }
    try {
      ReadOnlyWindowStore<String, Aggregate> store =
          app.store(
              StoreQueryParameters.fromNameAndType(
                  "aggregates-" + window, QueryableStoreTypes.windowStore()));
      ArrayNode items = NODES.arrayNode();
      int limit = limit(q);
      try (KeyValueIterator<Windowed<String>, Aggregate> all = store.fetchAll(from, to)) {
        while (all.hasNext() && items.size() < limit) {
          KeyValue<Windowed<String>, Aggregate> entry = all.next();
          if (q.get("name") != null && !q.get("name").equals(entry.value.getName())) {
            continue;
          }
          ObjectNode item = RecordJson.toJson(entry.value);
          item.put("window_start", entry.key.window().startTime().toString());
          item.put("window_end", entry.key.window().endTime().toString());
          items.add(item);
        }
      }
      ObjectNode body = NODES.objectNode().put("window", window);
      if (!Peers.localOnly(exchange.getRequestURI().getRawQuery())) {
        Peers.Answers answers =
            peers.ask(app, "aggregates-" + window, exchange.getRequestURI().toString());
        for (String answer : answers.bodies()) {
          for (com.fasterxml.jackson.databind.JsonNode item :
              MAPPER.readTree(answer).path("aggregates")) {
            if (items.size() < limit) {
              items.add(item);
            }
          }
        }
        partial(body, answers);
      }
      json(exchange, 200, body.set("aggregates", items));
    } catch (InvalidStateStoreException rebalancing) {
      HttpEndpoints.send(exchange, 503, "text/plain", "aggregate store not available yet\n");
    }
  }

  // An answer without some instance's partitions says so, and which.
  private static void partial(ObjectNode body, Peers.Answers answers) {
    if (answers.partial()) {
      body.put("partial", true);
      answers.unanswered().forEach(body.withArray("unanswered")::add);
    }
  }

  /**
   * {@code /api/reports/{framework}?format=json|html|pdf&from=&to=}: the report of vigil report,
   * from this instance's stores.
   */
  private void report(HttpExchange exchange) throws IOException {
    String id = exchange.getRequestURI().getPath().substring("/api/reports/".length());
    if (!io.vigil.reports.Framework.IDS.contains(id)) {
      HttpEndpoints.send(
          exchange,
          404,
          "text/plain",
          "no such framework: " + id + " (known: " + io.vigil.reports.Framework.IDS + ")\n");
      return;
    }
    Map<String, String> q = query(exchange);
    io.vigil.reports.ReportRenderer renderer;
    Instant to;
    Instant from;
    try {
      renderer = io.vigil.reports.ReportRenderer.forFormat(q.getOrDefault("format", "json"));
      to = q.containsKey("to") ? Instant.parse(q.get("to")) : Instant.now();
      from = q.containsKey("from") ? Instant.parse(q.get("from")) : to.minus(Duration.ofDays(30));
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      HttpEndpoints.send(
          exchange,
          400,
          "text/plain",
          "expected format=json|html|pdf and ISO-8601 from/to: " + e.getMessage() + "\n");
      return;
    }
    KafkaStreams alertView = streams.get(ComponentKind.ALERT_VIEW);
    if (alertView == null) {
      HttpEndpoints.send(
          exchange, 404, "text/plain", "reports need the alert-view component in this instance\n");
      return;
    }
    try {
      List<Alert> alerts = values(alertView, AlertViewTopology.STORE);
      List<ResourceState> states = values(alertView, AlertViewTopology.POSTURE_STORE);
      ReportResponse.send(
          exchange,
          renderer,
          () ->
              new io.vigil.reports.ComplianceReportBuilder(enabledRules)
                  .build(io.vigil.reports.Framework.load(id), from, to, alerts, states));
    } catch (InvalidStateStoreException rebalancing) {
      HttpEndpoints.send(exchange, 503, "text/plain", "stores not available yet\n");
    }
  }

  /**
   * {@code app}'s component, or null after answering 404 that {@code what} (e.g. "posture is") not
   * running in this instance.
   */
  private KafkaStreams running(HttpExchange exchange, ComponentKind kind, String what)
      throws IOException {
    KafkaStreams app = streams.get(kind);
    if (app == null) {
      HttpEndpoints.send(exchange, 404, "text/plain", what + " not running in this instance\n");
    }
    return app;
  }

  /**
   * The key-value store {@code name} of {@code app}, across its local partitions.
   *
   * @throws InvalidStateStoreException while it is not available
   */
  private static <V> ReadOnlyKeyValueStore<String, V> keyValueStore(KafkaStreams app, String name) {
    return app.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
  }

  /** Every value of a key-value store of {@code app}, read whole. */
  private static <V> List<V> values(KafkaStreams app, String storeName) {
    ReadOnlyKeyValueStore<String, V> store = keyValueStore(app, storeName);
    List<V> values = new java.util.ArrayList<>();
    try (KeyValueIterator<String, V> all = store.all()) {
      all.forEachRemaining(kv -> values.add(kv.value));
    }
    return values;
  }

  private static int limit(Map<String, String> q) {
    try {
      return Math.max(
          1,
          Math.min(
              10_000, Integer.parseInt(q.getOrDefault("limit", Integer.toString(DEFAULT_LIMIT)))));
    } catch (NumberFormatException e) {
      return DEFAULT_LIMIT;
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    HttpEndpoints.send(exchange, status, "application/json", body.toString());
  }
}
