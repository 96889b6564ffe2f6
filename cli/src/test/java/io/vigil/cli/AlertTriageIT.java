package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named analysts triage an alert through the API of a running pipeline (embedded broker): who may
 * do what, the alert's status, assignee and history, what an OCSF sink sends of it, and all of it
 * still there after a restart.
 */
class AlertTriageIT {

  private static final String ANALYST = "alice-0123456789abcdefghij";
  private static final String VIEWER = "bob-0123456789abcdefghijkl";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FINDINGS = "it.findings.ocsf";

  @TempDir Path dataDir;

  @Test
  void anAnalystsAcknowledgementWithItsNoteIsInTheAlertsHistoryAfterARestart() throws Exception {
    String alertId;
    try (VigilRuntime runtime = VigilRuntime.start(config(), PipelineComponents.all())) {
      int port = runtime.httpPort();
      assertThat(HttpProbe.awaitReady(port, Duration.ofSeconds(60))).isEqualTo(200);
      try (Admin admin = Admin.create(runtime.kafka().clientProperties())) {
        admin.createTopics(List.of(new NewTopic(FINDINGS, 1, (short) 1))).all().get();
      }
      Path staged = dataDir.resolve("staged.json");
      Files.copy(
          TestData.path(
              "stratus_red_team/docs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json"),
          staged);
      Files.move(staged, dataDir.resolve("inbox").resolve("cloudtrail-stop.json"));
      JsonNode alert = awaitAlert(port, "aws-cloudtrail-logging-disabled");
      alertId = alert.get("alert_id").asText();
      assertThat(alert.get("status").asText()).isEqualTo("open");
      assertThat(alert.get("assignee").isNull()).isTrue();

      assertThat(send(port, "GET", "/api/alerts", null, null).statusCode()).isEqualTo(401);
      assertThat(send(port, "GET", "/api/me", null, VIEWER).body())
          .isEqualTo("{\"name\":\"bob\",\"role\":\"viewer\"}");
      HttpResponse<String> refused =
          send(
              port,
              "POST",
              "/api/alerts/" + alertId + "/status",
              "{\"status\":\"resolved\"}",
              VIEWER);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("bob is a viewer");

      HttpResponse<String> acknowledged =
          send(
              port,
              "POST",
              "/api/alerts/" + alertId + "/status",
              "{\"status\":\"acknowledged\",\"note\":\"<b>stratus</b> test, checking with the"
                  + " owner\"}",
              ANALYST);
      assertThat(acknowledged.statusCode()).isEqualTo(200);
      JsonNode afterAck = JSON.readTree(acknowledged.body());
      assertThat(afterAck.get("status").asText()).isEqualTo("acknowledged");
      assertThat(afterAck.get("history")).hasSize(1);
      assertThat(afterAck.get("history").get(0).get("by").asText()).isEqualTo("alice");
      // The SIEM reading the OCSF sink's topic sees the finding again, in progress, with the note.
      List<JsonNode> findings = awaitFindings(runtime, alert.get("dedup_key").asText(), 2);
      assertThat(findings)
          .extracting(f -> f.get("activity_name").asText() + " " + f.get("status").asText())
          .containsExactly("Create New", "Update In Progress");
      assertThat(findings.get(1).get("comment").asText())
          .isEqualTo("<b>stratus</b> test, checking with the owner");
      assertThat(findings.get(1).at("/unmapped/triaged_by").asText()).isEqualTo("alice");

      assertThat(
              send(
                      port,
                      "POST",
                      "/api/alerts/" + alertId + "/assignee",
                      "{\"assignee\":\"bob\"}",
                      ANALYST)
                  .statusCode())
          .isEqualTo(200);
      HttpResponse<String> typo =
          send(
              port,
              "POST",
              "/api/alerts/" + alertId + "/assignee",
              "{\"assignee\":\"bobb\"}",
              ANALYST);
      assertThat(typo.statusCode()).isEqualTo(400);
      assertThat(typo.body()).contains("expected one of the users of http.users (alice, bob)");
      HttpResponse<String> unknownStatus =
          send(
              port,
              "POST",
              "/api/alerts/" + alertId + "/status",
              "{\"status\":\"closed\"}",
              ANALYST);
      assertThat(unknownStatus.statusCode()).isEqualTo(400);
      assertThat(unknownStatus.body())
          .isEqualTo(
              "status: expected one of open, acknowledged, resolved, false_positive, got"
                  + " 'closed'\n");
      assertThat(
              send(
                      port,
                      "POST",
                      "/api/alerts/no-such-alert/status",
                      "{\"status\":\"resolved\"}",
                      ANALYST)
                  .statusCode())
          .isEqualTo(404);

      HttpResponse<String> incidents = send(port, "GET", "/api/incidents?window=1h", null, VIEWER);
      assertThat(incidents.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(incidents.body()).get("incidents"))
          .anySatisfy(
              incident ->
                  assertThat(incident.get("timeline").findValuesAsText("alert_id"))
                      .contains(alertId));
      assertThat(send(port, "GET", "/api/incidents?window=forever", null, VIEWER).statusCode())
          .isEqualTo(400);

      HttpResponse<String> events =
          send(port, "GET", "/api/alerts/" + alertId + "/events", null, VIEWER);
      assertThat(events.statusCode()).isEqualTo(200);
      assertThat(events.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/x-ndjson"));
      assertThat(events.headers().firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"alert-" + alertId + "-events.jsonl\"");
      List<String> lines = events.body().lines().toList();
      assertThat(lines).isNotEmpty();
      assertThat(JSON.readTree(lines.get(0)).get("eventID").asText())
          .isEqualTo(alert.get("event_ids").get(0).asText());
      assertThat(JSON.readTree(lines.get(0)).get("eventName").asText()).isEqualTo("StopLogging");

      assertThat(list(port, "/api/alerts?status=acknowledged&assignee=bob")).hasSize(1);
      assertThat(list(port, "/api/alerts?status=open"))
          .noneMatch(a -> a.get("alert_id").asText().equals(alertId));
    }

    try (VigilRuntime runtime = VigilRuntime.start(config(), PipelineComponents.all())) {
      int port = runtime.httpPort();
      assertThat(HttpProbe.awaitReady(port, Duration.ofSeconds(60))).isEqualTo(200);
      awaitAlert(port, "aws-cloudtrail-logging-disabled");
      JsonNode alert =
          JSON.readTree(send(port, "GET", "/api/alerts/" + alertId, null, VIEWER).body());
      assertThat(alert.get("status").asText()).isEqualTo("acknowledged");
      assertThat(alert.get("assignee").asText()).isEqualTo("bob");
      JsonNode history = alert.get("history");
      assertThat(history).hasSize(2);
      assertThat(history.get(0).get("by").asText()).isEqualTo("alice");
      assertThat(history.get(0).get("status").asText()).isEqualTo("acknowledged");
      assertThat(history.get(0).get("note").asText())
          .isEqualTo("<b>stratus</b> test, checking with the owner");
      assertThat(history.get(0).get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(history.get(1).get("assignee").asText()).isEqualTo("bob");
    }
  }

  private static JsonNode awaitAlert(int port, String ruleId) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < end) {
      HttpResponse<String> response =
          send(port, "GET", "/api/alerts?rule=" + ruleId, null, ANALYST);
      if (response.statusCode() == 200) {
        JsonNode alerts = JSON.readTree(response.body()).get("alerts");
        if (!alerts.isEmpty()) {
          return alerts.get(0);
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no " + ruleId + " alert within 90 s");
  }

  /** The first {@code count} findings of one alert the {@code siem} sink wrote, in order. */
  private static List<JsonNode> awaitFindings(VigilRuntime runtime, String dedupKey, int count)
      throws Exception {
    Map<String, Object> props = new HashMap<>(runtime.kafka().clientProperties());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-siem-" + UUID.randomUUID());
    List<JsonNode> findings = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(FINDINGS));
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (findings.size() < count && System.nanoTime() < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
          if (r.key().equals(dedupKey)) {
            findings.add(JSON.readTree(r.value()));
          }
        }
      }
    }
    assertThat(findings).as("findings on " + FINDINGS).hasSizeGreaterThanOrEqualTo(count);
    return findings;
  }

  private static JsonNode list(int port, String path) throws Exception {
    HttpResponse<String> response = send(port, "GET", path, null, ANALYST);
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body()).get("alerts");
  }

  private static HttpResponse<String> send(
      int port, String method, String path, String body, String token) throws Exception {
    return HttpProbe.send(port, method, path, body, token);
  }

  private VigilConfig config() throws Exception {
    Path file = dataDir.resolve("vigil.yaml");
    Files.writeString(
        file,
        """
        http.users:
          - name: alice
            role: analyst
            token: ${ALICE_TOKEN}
          - name: bob
            role: viewer
            token: ${BOB_TOKEN}
        sinks:
          - type: kafka
            name: siem
            topic: %s
        """
            .formatted(FINDINGS));
    return VigilConfig.load(
        Optional.of(file),
        Map.of("ALICE_TOKEN", ANALYST, "BOB_TOKEN", VIEWER),
        Map.of(
            "data.dir", dataDir.toString(),
            "kafka.embedded.port", "0",
            "http.port", "0",
            "http.host", "127.0.0.1",
            "topics.partitions", "1",
            "events.retention", "1d"));
  }
}
