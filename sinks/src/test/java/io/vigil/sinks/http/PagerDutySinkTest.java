package io.vigil.sinks.http;

import static io.vigil.sinks.TestAlerts.on;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import io.vigil.sinks.Secret;
import io.vigil.sinks.SinkContext;
import io.vigil.sinks.TestAlerts;
import io.vigil.sinks.incidents.IncidentTracker;
import io.vigil.sinks.render.SeverityScale;
import io.vigil.sinks.render.Workflow;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagerDutySinkTest {

  private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

  private final PagerDutySink sink =
      new PagerDutySink(
          new PagerDutySink.Config(
              URI.create(PagerDutySink.DEFAULT_URL),
              Secret.of("routing-key-123"),
              "https://vigil.example.com/alerts/{alert_id}",
              Duration.ofSeconds(5)),
          new SinkContext(
              "pd",
              HttpClient.newHttpClient(),
              Clock.systemUTC(),
              Map.of(),
              new PrintStream(System.out),
              Workflow.Lookup.NONE));

  @Test
  void eventIsATriggerKeyedByTheAlertsDedupKey() {
    Alert alert = TestAlerts.stopLogging();
    JsonNode event = sink.event(alert);

    assertThat(event.get("routing_key").asText()).isEqualTo("routing-key-123");
    assertThat(event.get("event_action").asText()).isEqualTo("trigger");
    assertThat(event.get("dedup_key").asText()).isEqualTo(alert.getDedupKey());
    assertThat(event.at("/payload/summary").asText())
        .contains("CloudTrail logging stopped", "alice");
    assertThat(event.at("/payload/severity").asText()).isEqualTo("error");
    assertThat(event.at("/payload/source").asText()).isEqualTo("aws:111122223333:eu-west-1");
    assertThat(event.at("/payload/timestamp").asText()).isEqualTo("2024-03-05T10:15:30Z");
    assertThat(event.at("/payload/custom_details/rule").asText())
        .isEqualTo("aws-cloudtrail-stop-logging");
    assertThat(event.at("/payload/custom_details/count").asLong()).isEqualTo(1);
    assertThat(event.at("/payload/custom_details/compliance/0").asText()).isEqualTo("CIS-AWS 3.1");
    assertThat(event.at("/payload/custom_details/evidence/eventName").asText())
        .isEqualTo("StopLogging");
    assertThat(event.at("/links/0/href").asText())
        .isEqualTo("https://vigil.example.com/alerts/a-0001");
  }

  @Test
  void anUpdateKeepsTheIncidentKey() {
    Alert first = TestAlerts.stopLogging();
    assertThat(sink.event(TestAlerts.updated(first, 3)).get("dedup_key"))
        .isEqualTo(sink.event(first).get("dedup_key"));
  }

  @Test
  void severitiesMapOntoPagerDutysFourLevels() {
    assertThat(SeverityScale.pagerDuty(Severity.critical)).isEqualTo("critical");
    assertThat(SeverityScale.pagerDuty(Severity.high)).isEqualTo("error");
    assertThat(SeverityScale.pagerDuty(Severity.medium)).isEqualTo("warning");
    assertThat(SeverityScale.pagerDuty(Severity.low)).isEqualTo("info");
    assertThat(SeverityScale.pagerDuty(Severity.info)).isEqualTo("info");
  }

  @Test
  void overlongDedupKeysAreHashedWithinPagerDutysLimit() {
    Alert alert = Alert.newBuilder(TestAlerts.stopLogging()).setDedupKey("k".repeat(400)).build();
    assertThat(PagerDutySink.dedupKey(alert)).hasSizeLessThanOrEqualTo(255).startsWith("sha256:");
  }

  @Test
  void pagingPerIncidentTriggersEveryAlertOfAnIncidentWithItsKeyAndHighestSeverity() {
    PagerDutySink.Config config = perIncident();
    PagerDutySink perIncident = new PagerDutySink(config, context(Workflow.Lookup.NONE));
    Alert brute = on("a1", "brute-force", Severity.medium, ALICE, "10:00", "10:05", Map.of());
    Alert stop = on("a2", "stop-logging", Severity.critical, ALICE, "10:30", "10:30", Map.of());

    JsonNode first = perIncident.event(brute, config.incidents().place(brute));
    JsonNode second = perIncident.event(stop, config.incidents().place(stop));

    assertThat(first.get("dedup_key").asText()).isEqualTo("incident:" + brute.getDedupKey());
    assertThat(second.get("dedup_key")).isEqualTo(first.get("dedup_key"));
    assertThat(first.at("/payload/summary").asText()).startsWith("[MEDIUM] brute-force: ");
    assertThat(second.at("/payload/summary").asText())
        .startsWith("[CRITICAL] Incident of 2 alerts from brute-force, latest stop-logging: ");
    assertThat(second.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(second.at("/payload/custom_details/incident_alerts").asInt()).isEqualTo(2);
    assertThat(second.at("/payload/custom_details/incident_rules").toString())
        .isEqualTo("[\"brute-force\",\"stop-logging\"]");
    assertThat(second.at("/payload/custom_details/rule").asText()).isEqualTo("stop-logging");
  }

  @Test
  void pagingPerIncidentAcknowledgesOnAnyAlertAndResolvesWhenTheLastIsClosed() {
    PagerDutySink.Config config = perIncident();
    Map<String, Workflow> states = new HashMap<>();
    PagerDutySink.Triage triage =
        new PagerDutySink.Triage(
            config,
            alert -> states.getOrDefault(alert.getAlertId(), Workflow.UNTRIAGED),
            context(Workflow.Lookup.NONE));
    Alert brute = on("a1", "brute-force", Severity.medium, ALICE, "10:00", "10:05", Map.of());
    Alert stop = on("a2", "stop-logging", Severity.critical, ALICE, "10:30", "10:30", Map.of());
    config.incidents().place(brute);
    config.incidents().place(stop);
    String key = "incident:" + brute.getDedupKey();

    assertThat(triage.event(change(stop, TriageStatus.acknowledged)))
        .hasValueSatisfying(e -> assertThat(e.get("dedup_key").asText()).isEqualTo(key))
        .hasValueSatisfying(
            e -> assertThat(e.get("event_action").asText()).isEqualTo("acknowledge"));
    assertThat(triage.event(change(stop, TriageStatus.resolved)))
        .as("brute-force is still open")
        .isEmpty();
    states.put("a2", new Workflow(TriageStatus.resolved, "", null));
    assertThat(triage.event(change(brute, TriageStatus.false_positive)))
        .hasValueSatisfying(e -> assertThat(e.get("event_action").asText()).isEqualTo("resolve"))
        .hasValueSatisfying(e -> assertThat(e.get("dedup_key").asText()).isEqualTo(key));
    Alert unknown = on("a9", "other", Severity.high, "198.51.100.9", "10:00", "10:00", Map.of());
    assertThat(triage.event(change(unknown, TriageStatus.acknowledged)))
        .as("an alert this sink placed in no incident it holds")
        .isEmpty();
  }

  private static PagerDutySink.Config perIncident() {
    return new PagerDutySink.Config(
        URI.create(PagerDutySink.DEFAULT_URL),
        Secret.of("routing-key-123"),
        null,
        Duration.ofSeconds(5),
        new IncidentTracker(Duration.ofHours(1)));
  }

  private static SinkContext context(Workflow.Lookup workflows) {
    return new SinkContext(
        "pd",
        HttpClient.newHttpClient(),
        Clock.systemUTC(),
        Map.of(),
        new PrintStream(System.out),
        workflows);
  }

  private static TriageChange change(Alert alert, TriageStatus status) {
    return TriageChange.newBuilder()
        .setAlertId(alert.getAlertId())
        .setDedupKey(alert.getDedupKey())
        .setAt("2024-03-05T11:00:00Z")
        .setBy("alice")
        .setStatus(status)
        .build();
  }
}
