package io.vigil.sinks.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.sinks.Secret;
import io.vigil.sinks.SinkContext;
import io.vigil.sinks.TestAlerts;
import io.vigil.sinks.render.SeverityScale;
import io.vigil.sinks.render.Workflow;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagerDutySinkTest {

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
}
