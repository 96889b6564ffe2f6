package io.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import io.vigil.app.suppressions.Mutes;
import io.vigil.schemas.Durations;
import io.vigil.schemas.Suppression;
import io.vigil.schemas.SuppressionScope;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The mutes of alerts: {@code GET /api/suppressions} (every mute, newest first, each with {@code
 * in_force}), {@code POST /api/suppressions} with {@code {"rule_id", "scope": "entity" | "account"
 * | "everywhere", "value", "for": "7d", "reason"}} (201), {@code DELETE /api/suppressions/{id}} to
 * end one early. Made and removed as the request's user; viewers are refused before they get here.
 */
final class SuppressionApi {

  static final Duration LONGEST = Duration.ofDays(90);
  private static final int REASON_MAX_CHARS = 1000;
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");
  private static final List<String> KEYS = List.of("rule_id", "scope", "value", "for", "reason");
  private static final String PREFIX = "/api/suppressions";

  private final Mutes mutes;

  SuppressionApi(Mutes mutes) {
    this.mutes = mutes;
  }

  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
      switch (method) {
        case "GET", "HEAD" -> list(exchange);
        case "POST" -> create(exchange);
        default -> HttpEndpoints.methodNotAllowed(exchange, "GET", "HEAD", "POST");
      }
    } else if (path.startsWith(PREFIX + "/") && path.indexOf('/', PREFIX.length() + 1) < 0) {
      String id = URLDecoder.decode(path.substring(PREFIX.length() + 1), StandardCharsets.UTF_8);
      if (HttpEndpoints.allows(exchange, "DELETE")) {
        remove(exchange, id);
      }
    } else {
      HttpEndpoints.send(
          exchange, 404, "text/plain", "not found: expected /api/suppressions[/{id}]\n");
    }
  }

  private void list(HttpExchange exchange) throws IOException {
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    mutes.all().forEach(s -> items.add(mutes.json(s)));
    HttpEndpoints.send(
        exchange,
        200,
        "application/json",
        JsonNodeFactory.instance.objectNode().set("suppressions", items).toString());
  }

  private void create(HttpExchange exchange) throws IOException {
    Optional<JsonNode> read = JsonBody.read(exchange);
    if (read.isEmpty()) {
      return;
    }
    JsonNode body = read.get();
    Optional<String> problem = unknownKey(body);
    String ruleId = text(body, "rule_id");
    if (problem.isEmpty() && (ruleId == null || !RULE_ID.matcher(ruleId).matches())) {
      problem = Optional.of("rule_id: expected a rule id such as aws-root-account-usage");
    }
    String scopeText = text(body, "scope");
    Optional<SuppressionScope> scope =
        Arrays.stream(SuppressionScope.values())
            .filter(s -> s.name().equals(scopeText))
            .findFirst();
    if (problem.isEmpty() && scope.isEmpty()) {
      problem = Optional.of("scope: expected entity, account or everywhere");
    }
    String value = text(body, "value");
    if (problem.isEmpty()
        && scope.get() != SuppressionScope.everywhere
        && (value == null || value.isBlank() || value.length() > 2048)) {
      problem =
          Optional.of(
              "value: expected the " + scope.get().name() + " to mute (at most 2048 characters)");
    }
    Duration duration = null;
    if (problem.isEmpty()) {
      String forText = text(body, "for");
      try {
        duration = Durations.parse(forText == null ? "" : forText);
      } catch (IllegalArgumentException e) {
        problem = Optional.of("for: " + Durations.problem(forText == null ? "" : forText));
      }
      if (problem.isEmpty()
          && (duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(LONGEST) > 0)) {
        problem = Optional.of("for: expected from 1m to 90d (a mute always ends)");
      }
    }
    String reason = text(body, "reason");
    if (problem.isEmpty()
        && (reason == null || reason.isBlank() || reason.length() > REASON_MAX_CHARS)) {
      problem =
          Optional.of(
              "reason: expected why (at most " + REASON_MAX_CHARS + " characters): it is audited");
    }
    if (problem.isPresent()) {
      HttpEndpoints.send(exchange, 400, "text/plain", problem.get() + "\n");
      return;
    }
    try {
      Suppression made =
          mutes.mute(
              ruleId,
              scope.get(),
              value,
              duration,
              reason,
              AccessGuard.userOf(exchange).name(),
              WRITE_TIMEOUT);
      HttpEndpoints.send(exchange, 201, "application/json", mutes.json(made).toString());
    } catch (IllegalStateException e) {
      HttpEndpoints.send(
          exchange, 503, "text/plain", "503: the mute was not recorded: " + e.getMessage() + "\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while recording a mute", e);
    }
  }

  private void remove(HttpExchange exchange, String id) throws IOException {
    try {
      Optional<Suppression> removed =
          mutes.remove(id, AccessGuard.userOf(exchange).name(), WRITE_TIMEOUT);
      if (removed.isEmpty()) {
        HttpEndpoints.send(exchange, 404, "text/plain", "no mute in force with that id\n");
        return;
      }
      HttpEndpoints.send(exchange, 200, "application/json", mutes.json(removed.get()).toString());
    } catch (IllegalStateException e) {
      HttpEndpoints.send(
          exchange,
          503,
          "text/plain",
          "503: the removal was not recorded: " + e.getMessage() + "\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while removing a mute", e);
    }
  }

  private static Optional<String> unknownKey(JsonNode body) {
    for (var names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        return Optional.of("unknown field '" + name + "' (expected " + KEYS + ")");
      }
    }
    return Optional.empty();
  }

  private static String text(JsonNode body, String key) {
    JsonNode value = body.get(key);
    return value == null || !value.isTextual() ? null : value.asText();
  }
}
