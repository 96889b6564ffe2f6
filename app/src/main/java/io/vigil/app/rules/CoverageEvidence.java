package io.vigil.app.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.Aggregate;
import io.vigil.schemas.Alert;
import io.vigil.schemas.UntrustedText;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.Telemetry;
import io.vigil.streams.detection.IngestGaps;
import io.vigil.streams.detection.MissingLogFiles;
import io.vigil.streams.posture.PostureControls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running pipeline says about each rule: whether the events it needs ({@link Telemetry})
 * arrived within the look-back, and when it last fired. A rule whose telemetry never arrives cannot
 * fire however good it is: coverage on paper is not coverage. The events seen come from the
 * aggregates' all-time store of event kinds (one entry per account, region, eventSource and
 * eventName, with the last event time), the firings from the alert view.
 */
public final class CoverageEvidence {

  /** The aggregate whose keys name the CloudTrail event kinds seen. */
  static final String CLOUDTRAIL_EVENTS = "cloudtrail.events";

  /** One per account and flow action: any flow record counts as the flow log seen. */
  static final String FLOW_RECORDS = "vpcflow.bytes_by_action";

  /**
   * One rule's evidence. {@code telemetry} null (and {@code seen} null) for a rule that needs no
   * event (the ingest gap rule: the ingest itself raises it).
   *
   * @param telemetry what the rule needs, for people ({@link Telemetry#describe})
   * @param seen whether such an event arrived within the look-back
   * @param serviceSeen whether an event of the services whose calls the rule needs arrived within
   *     the look-back (a rule not seen but whose service is is quiet, not blind); null when the
   *     rule names no service
   * @param lastEvent the event time of the latest such event ever seen; null when none was
   * @param lastFired the last_seen time of the rule's latest alert; null when it never fired
   * @param alerts the rule's alerts seen within the look-back
   */
  public record Evidence(
      String telemetry,
      Boolean seen,
      Boolean serviceSeen,
      Instant lastEvent,
      Instant lastFired,
      long alerts) {}

  private CoverageEvidence() {}

  /**
   * The evidence for each of {@code ruleIds}, from the all-time event kinds ({@code seen}, the
   * aggregates' seen store) and the alerts held, as of {@code now} looking back {@code lookBack}.
   */
  public static Map<String, Evidence> of(
      RuleSet rules,
      Collection<String> ruleIds,
      List<Aggregate> seen,
      List<Alert> alerts,
      Instant now,
      Duration lookBack) {
    Instant since = now.minus(lookBack);
    Map<String, Instant> lastFired = new HashMap<>();
    Map<String, Long> recentAlerts = new HashMap<>();
    for (Alert alert : alerts) {
      Instant last = Instant.parse(alert.getLastSeen());
      lastFired.merge(alert.getRuleId(), last, CoverageEvidence::later);
      if (!last.isBefore(since)) {
        recentAlerts.merge(alert.getRuleId(), 1L, Long::sum);
      }
    }
    Map<String, Evidence> out = new HashMap<>();
    for (String id : ruleIds) {
      Optional<Telemetry> telemetry = telemetry(rules, id);
      Instant lastEvent = null;
      Instant lastOfService = null;
      if (telemetry.isPresent()) {
        for (Aggregate kind : seen) {
          if (needed(telemetry.get(), kind)) {
            lastEvent = later(lastEvent, kind.getWindowEnd());
          }
          if (kind.getName().equals(CLOUDTRAIL_EVENTS)
              && telemetry
                  .get()
                  .fromService(Telemetry.CLOUDTRAIL, kind.getDimensions().get("eventSource"))) {
            lastOfService = later(lastOfService, kind.getWindowEnd());
          }
        }
      }
      boolean namesService =
          telemetry.isPresent()
              && !(telemetry.get().eventSources().isEmpty()
                  && telemetry.get().callSources().isEmpty());
      out.put(
          id,
          new Evidence(
              telemetry.map(Telemetry::describe).orElse(null),
              telemetry.isPresent() ? lastEvent != null && !lastEvent.isBefore(since) : null,
              namesService ? lastOfService != null && !lastOfService.isBefore(since) : null,
              lastEvent,
              lastFired.get(id),
              recentAlerts.getOrDefault(id, 0L)));
    }
    return out;
  }

  /** What a rule, correlation or posture rule needs; empty for one that needs no event. */
  static Optional<Telemetry> telemetry(RuleSet rules, String id) {
    if (id.equals(IngestGaps.RULE_ID) || id.equals(MissingLogFiles.RULE_ID)) {
      return Optional.empty();
    }
    Optional<Telemetry> sigma = rules.telemetry(id);
    if (sigma.isPresent()) {
      return sigma;
    }
    return PostureControls.eventSource(id).map(Telemetry::ofSource);
  }

  /**
   * The evidence in a running pipeline's {@code /api/coverage} answer ({@link AttackCoverage#json}
   * with evidence), by rule id; the look-back is its {@code evidence_days}.
   */
  public static Map<String, Evidence> fromJson(JsonNode coverage) {
    Map<String, Evidence> out = new HashMap<>();
    for (JsonNode tactic : coverage.path("tactics")) {
      for (JsonNode technique : tactic.path("techniques")) {
        for (JsonNode rule : technique.path("rules")) {
          if (!rule.has("telemetry")) {
            continue;
          }
          out.put(
              rule.path("id").asText(),
              new Evidence(
                  rule.path("telemetry").isNull() ? null : rule.path("telemetry").asText(),
                  bool(rule.path("telemetry_seen")),
                  bool(rule.path("service_seen")),
                  instant(rule.path("last_event")),
                  instant(rule.path("last_fired")),
                  rule.path("alerts").asLong()));
        }
      }
    }
    return out;
  }

  /**
   * Asks the running Vigil at {@code base} (its HTTP address) for its evidence over the last {@code
   * days}, with {@code token} (http.token) when set. Fails with the answer's status and first line
   * when it is not 200.
   */
  public static Map<String, Evidence> fetch(URI base, int days, Optional<String> token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("/api/coverage?days=" + days))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json");
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .build()
            .send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      String first = response.body().lines().findFirst().orElse("");
      throw new IOException(
          base
              + " answered "
              + response.statusCode()
              + " to /api/coverage: "
              + UntrustedText.forLine(first.length() > 200 ? first.substring(0, 200) : first));
    }
    return fromJson(new ObjectMapper().readTree(response.body()));
  }

  private static Boolean bool(JsonNode node) {
    return node.isBoolean() ? node.asBoolean() : null;
  }

  private static Instant instant(JsonNode node) {
    return node.isTextual() ? Instant.parse(node.asText()) : null;
  }

  private static boolean needed(Telemetry telemetry, Aggregate kind) {
    if (kind.getName().equals(CLOUDTRAIL_EVENTS)) {
      Map<String, String> dims = kind.getDimensions();
      return telemetry.needs(Telemetry.CLOUDTRAIL, dims.get("eventSource"), dims.get("eventName"));
    }
    return kind.getName().equals(FLOW_RECORDS) && telemetry.needs(Telemetry.VPCFLOW, null, null);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }
}
