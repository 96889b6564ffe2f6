package io.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.vigil.app.access.User;
import io.vigil.app.access.Users;
import io.vigil.app.triage.TriageLog;
import io.vigil.app.triage.TriageState;
import io.vigil.schemas.Alert;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * One alert and its triage: {@code GET /api/alerts/{alert_id}} (the alert with {@code status},
 * {@code assignee} and {@code history}), {@code POST /api/alerts/{alert_id}/status} with {@code
 * {"status": "acknowledged", "note": "..."}} and {@code POST /api/alerts/{alert_id}/assignee} with
 * {@code {"assignee": "alice", "note": "..."}} ({@code null} unassigns), and {@code GET
 * /api/alerts/{alert_id}/events} (the events behind it, with {@code events.retention}). Each change
 * is recorded as made by the request's user ({@link AccessGuard#userOf}); viewers are refused
 * before they get here.
 */
final class TriageApi {

  /** The longest note kept: a paragraph or two, not a log dump. */
  static final int NOTE_MAX_CHARS = 4000;

  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
  private static final String PREFIX = "/api/alerts/";

  /**
   * The events behind an alert, as JSON lines, from every instance or, with {@code localOnly}, this
   * one's partitions; empty when they are not kept here.
   */
  interface AlertEvents {
    Optional<List<String>> of(Alert alert, boolean localOnly);
  }

  private final TriageLog triage;
  private final Users users;
  private final Function<String, Optional<Alert>> alertById;
  private final AlertEvents events;

  TriageApi(
      TriageLog triage,
      Users users,
      Function<String, Optional<Alert>> alertById,
      AlertEvents events) {
    this.triage = triage;
    this.users = users;
    this.alertById = alertById;
    this.events = events;
  }

  void handle(HttpExchange exchange) throws IOException {
    String[] parts =
        exchange.getRequestURI().getRawPath().substring(PREFIX.length()).split("/", -1);
    String alertId = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    String action = parts.length == 2 ? parts[1] : parts.length == 1 ? "" : null;
    if (alertId.isEmpty() || action == null) {
      HttpEndpoints.send(
          exchange,
          404,
          "text/plain",
          "not found: expected /api/alerts/{alert_id}, .../status, .../assignee or .../events\n");
      return;
    }
    switch (action) {
      case "" -> {
        if (HttpEndpoints.allows(exchange, "GET", "HEAD")) {
          show(exchange, alertId);
        }
      }
      case "events" -> {
        if (HttpEndpoints.allows(exchange, "GET", "HEAD")) {
          events(exchange, alertId);
        }
      }
      case "status", "assignee" -> {
        if (HttpEndpoints.allows(exchange, "POST")) {
          change(exchange, alertId, action);
        }
      }
      default ->
          HttpEndpoints.send(
              exchange,
              404,
              "text/plain",
              "not found: an alert has .../status, .../assignee and .../events, not '"
                  + action
                  + "'\n");
    }
  }

  /**
   * {@code GET /api/alerts/{alert_id}/events}: the alert's own events (those of its {@code
   * event_ids} still kept), then its entity's other events between its first and last seen, as JSON
   * lines to download.
   */
  private void events(HttpExchange exchange, String alertId) throws IOException {
    Optional<Alert> alert = lookUp(exchange, alertId);
    if (alert.isEmpty()) {
      return;
    }
    Optional<List<String>> lines;
    try {
      lines = events.of(alert.get(), Peers.localOnly(exchange.getRequestURI().getRawQuery()));
    } catch (InvalidStateStoreException rebalancing) {
      HttpEndpoints.send(exchange, 503, "text/plain", "event store not available yet\n");
      return;
    }
    if (lines.isEmpty()) {
      HttpEndpoints.send(
          exchange,
          404,
          "text/plain",
          "the events behind alerts are not kept in this instance: set events.retention (and run"
              + " the events component)\n");
      return;
    }
    exchange
        .getResponseHeaders()
        .set(
            "Content-Disposition",
            "attachment; filename=\"alert-" + safe(alertId) + "-events.jsonl\"");
    HttpEndpoints.send(
        exchange,
        200,
        "application/x-ndjson",
        lines.get().isEmpty() ? "" : String.join("\n", lines.get()) + "\n");
  }

  // An alert id is a UUID; anything else is kept out of the header.
  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9-]", "_");
  }

  private void show(HttpExchange exchange, String alertId) throws IOException {
    Optional<Alert> alert = lookUp(exchange, alertId);
    if (alert.isPresent()) {
      HttpEndpoints.send(
          exchange, 200, "application/json", view(alert.get(), triage.state(alertId)));
    }
  }

  private void change(HttpExchange exchange, String alertId, String what) throws IOException {
    Optional<JsonNode> read = JsonBody.read(exchange);
    if (read.isEmpty()) {
      return;
    }
    JsonNode body = read.get();
    Optional<Alert> alert = lookUp(exchange, alertId);
    if (alert.isEmpty()) {
      return;
    }
    User user = AccessGuard.userOf(exchange);
    TriageChange.Builder change =
        TriageChange.newBuilder()
            .setAlertId(alertId)
            .setDedupKey(alert.get().getDedupKey())
            .setAt(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
            .setBy(user.name())
            .setAlertUpdate(alert.get().getUpdate())
            .setAlert(alert.get());
    Optional<String> problem =
        what.equals("status") ? status(body, change) : assignee(body, change);
    if (problem.isEmpty()) {
      problem = note(body, change, what);
    }
    if (problem.isPresent()) {
      HttpEndpoints.send(exchange, 400, "text/plain", problem.get() + "\n");
      return;
    }
    TriageState state;
    try {
      state = triage.record(change.build(), WRITE_TIMEOUT);
    } catch (IllegalStateException e) {
      HttpEndpoints.send(
          exchange,
          503,
          "text/plain",
          "503: the change was not recorded: " + e.getMessage() + "\n");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while recording a triage change", e);
    }
    HttpEndpoints.send(exchange, 200, "application/json", view(alert.get(), state));
  }

  private static Optional<String> status(JsonNode body, TriageChange.Builder change) {
    JsonNode status = body.get("status");
    String expected =
        "status: expected one of "
            + String.join(", ", Arrays.stream(TriageStatus.values()).map(Enum::name).toList());
    if (status == null || !status.isTextual()) {
      return Optional.of(expected);
    }
    Optional<TriageStatus> parsed =
        Arrays.stream(TriageStatus.values())
            .filter(s -> s.name().equals(status.asText()))
            .findFirst();
    if (parsed.isEmpty()) {
      return Optional.of(expected + ", got '" + status.asText() + "'");
    }
    change.setStatus(parsed.get());
    return Optional.empty();
  }

  private Optional<String> assignee(JsonNode body, TriageChange.Builder change) {
    if (!body.has("assignee")) {
      return Optional.of("assignee: expected a user's name, or null to unassign");
    }
    JsonNode assignee = body.get("assignee");
    if (assignee.isNull() || (assignee.isTextual() && assignee.asText().isEmpty())) {
      change.setAssignee("");
      return Optional.empty();
    }
    if (!assignee.isTextual()) {
      return Optional.of("assignee: expected a user's name, or null to unassign");
    }
    String name = assignee.asText();
    // With named users, an alert goes to one of them: a typo would leave it with nobody.
    if (!users.isEmpty() && users.all().stream().noneMatch(u -> u.name().equals(name))) {
      return Optional.of(
          "assignee: expected one of the users of http.users ("
              + String.join(", ", users.all().stream().map(User::name).toList())
              + ")");
    }
    if (name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("assignee: expected a name of at most 64 characters");
    }
    change.setAssignee(name);
    return Optional.empty();
  }

  private static Optional<String> note(JsonNode body, TriageChange.Builder change, String what) {
    for (var names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("note") && !name.equals(what)) {
        return Optional.of("unknown field '" + name + "' (expected " + what + " and note)");
      }
    }
    JsonNode note = body.get("note");
    if (note == null || note.isNull()) {
      return Optional.empty();
    }
    if (!note.isTextual()) {
      return Optional.of("note: expected text");
    }
    if (note.asText().length() > NOTE_MAX_CHARS) {
      return Optional.of(
          "note: expected at most "
              + NOTE_MAX_CHARS
              + " characters, got "
              + note.asText().length());
    }
    if (!note.asText().isBlank()) {
      change.setNote(note.asText());
    }
    return Optional.empty();
  }

  private Optional<Alert> lookUp(HttpExchange exchange, String alertId) throws IOException {
    try {
      Optional<Alert> alert = alertById.apply(alertId);
      if (alert.isEmpty()) {
        HttpEndpoints.send(
            exchange, 404, "text/plain", "no such alert in this instance's alert view\n");
      }
      return alert;
    } catch (InvalidStateStoreException rebalancing) {
      HttpEndpoints.send(exchange, 503, "text/plain", "alert store not available yet\n");
      return Optional.empty();
    }
  }

  private static String view(Alert alert, TriageState state) {
    ObjectNode json = state.addTo(RecordJson.toJson(alert), alert.getUpdate());
    json.set("history", state.historyJson());
    return json.toString();
  }
}
