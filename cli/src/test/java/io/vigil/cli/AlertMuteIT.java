package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mute made through the API silences the next occurrence of an alert on a running pipeline: the
 * alert is still updated and kept, marked {@code muted_by}, and the webhook sink does not get it;
 * the mute is listed, and removed with who removed it.
 */
class AlertMuteIT {

  private static final String ANALYST = "alice-0123456789abcdefghij";
  private static final String RULE = "aws-cloudtrail-logging-disabled";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private HttpServer receiver;
  private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void aMuteSilencesTheNextOccurrenceAndKeepsIt() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          try (exchange) {
            delivered.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    receiver.start();
    try (VigilRuntime runtime = VigilRuntime.start(config(), PipelineComponents.all())) {
      int port = runtime.httpPort();
      assertThat(HttpProbe.awaitReady(port, Duration.ofSeconds(60))).isEqualTo(200);
      drop(freshEventIds(), "first.json");
      JsonNode first = await(port, alert -> alert.get("count").asLong() >= 1);
      HttpResponse<String> noEvents =
          send(port, "GET", "/api/alerts/" + first.get("alert_id").asText() + "/events", null);
      assertThat(noEvents.statusCode()).as("without events.retention").isEqualTo(404);
      assertThat(noEvents.body()).contains("set events.retention");
      awaitDelivered(d -> d.get("rule_id").asText().equals(RULE));

      HttpResponse<String> made =
          send(
              port,
              "POST",
              "/api/suppressions",
              "{\"rule_id\":\""
                  + RULE
                  + "\",\"scope\":\"account\",\"value\":\""
                  + first.get("account_id").asText()
                  + "\",\"for\":\"1h\",\"reason\":\"Stratus test account: <b>expected</b>\"}");
      assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
      JsonNode mute = JSON.readTree(made.body());
      String muteId = mute.get("suppression_id").asText();
      assertThat(mute.get("created_by").asText()).isEqualTo("alice");
      assertThat(mute.get("in_force").asBoolean()).isTrue();
      assertThat(
              send(
                      port,
                      "POST",
                      "/api/suppressions",
                      "{\"rule_id\":\""
                          + RULE
                          + "\",\"scope\":\"everywhere\",\"for\":\"120d\",\"reason\":\"x\"}")
                  .body())
          .startsWith("for: expected from 1m to 90d");

      // The same trail stopped again in the same window: the same alert, one more event, muted.
      drop(freshEventIds(), "second.json");
      JsonNode muted = await(port, alert -> alert.get("count").asLong() >= 2);
      assertThat(muted.get("muted_by").asText()).isEqualTo(muteId);
      awaitSinkSkipped(port);
      assertThat(delivered)
          .as("the webhook got the first publication only")
          .noneMatch(d -> d.get("rule_id").asText().equals(RULE) && d.get("update").asInt() > 0);

      JsonNode listed = JSON.readTree(send(port, "GET", "/api/suppressions", null).body());
      assertThat(listed.get("suppressions").get(0).get("reason").asText())
          .isEqualTo("Stratus test account: <b>expected</b>");
      HttpResponse<String> removed = send(port, "DELETE", "/api/suppressions/" + muteId, null);
      assertThat(removed.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(removed.body()).get("removed_by").asText()).isEqualTo("alice");
      assertThat(JSON.readTree(removed.body()).get("in_force").asBoolean()).isFalse();
      assertThat(send(port, "DELETE", "/api/suppressions/" + muteId, null).statusCode())
          .isEqualTo(404);
    }
  }

  /** The stopped trail's events with new event ids (so that dedup keeps them), as one file. */
  private static String freshEventIds() throws Exception {
    JsonNode events =
        JSON.readTree(
            TestData.path(
                    "stratus_red_team/docs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json")
                .toFile());
    for (JsonNode event : (ArrayNode) events) {
      ((ObjectNode) event).put("eventID", UUID.randomUUID().toString());
    }
    return JSON.createObjectNode().set("Records", events).toString();
  }

  private void drop(String content, String name) throws Exception {
    Path staged = dataDir.resolve("staged-" + name);
    Files.writeString(staged, content, StandardCharsets.UTF_8);
    Files.move(staged, dataDir.resolve("inbox").resolve(name));
  }

  private static JsonNode await(int port, Predicate<JsonNode> condition) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < end) {
      HttpResponse<String> response = send(port, "GET", "/api/alerts?rule=" + RULE, null);
      if (response.statusCode() == 200) {
        for (JsonNode alert : JSON.readTree(response.body()).get("alerts")) {
          if (condition.test(alert)) {
            return alert;
          }
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no " + RULE + " alert as expected within 90 s");
  }

  private void awaitDelivered(Predicate<JsonNode> condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (delivered.stream().noneMatch(condition)) {
      assertThat(System.nanoTime()).as("a delivery within 60 s").isLessThan(end);
      Thread.sleep(100);
    }
  }

  // The sink counts the muted publication as filtered once it has read it.
  private static void awaitSinkSkipped(int port) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < end) {
      String metrics = send(port, "GET", "/metrics", null).body();
      if (metrics
          .lines()
          .anyMatch(
              l ->
                  l.startsWith("vigil_sink_filtered_total")
                      && l.contains("sink=\"hook\"")
                      && l.contains("feed=\"alerts\"")
                      && !l.endsWith(" 0.0"))) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the webhook sink never skipped a publication");
  }

  private static HttpResponse<String> send(int port, String method, String path, String body)
      throws Exception {
    return HttpProbe.send(port, method, path, body, ANALYST);
  }

  private VigilConfig config() throws Exception {
    Path file = dataDir.resolve("vigil.yaml");
    Files.writeString(
        file,
        """
        http.users:
          - {name: alice, role: analyst, token: "${ALICE_TOKEN}"}
        sinks:
          - {type: webhook, name: hook, url: "http://127.0.0.1:%d/"}
        """
            .formatted(receiver.getAddress().getPort()));
    return VigilConfig.load(
        Optional.of(file),
        Map.of("ALICE_TOKEN", ANALYST),
        Map.of(
            "data.dir", dataDir.toString(),
            "kafka.embedded.port", "0",
            "http.port", "0",
            "http.host", "127.0.0.1",
            "topics.partitions", "1",
            "alerts.update.interval", "1s"));
  }
}
