package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.console.EventStreamClient.Event;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.Severity;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.HttpProbe;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of {@code vigil run} on the embedded broker, in this JVM: the page, the alert stream
 * (snapshot, live publications, updates, resuming with Last-Event-ID), the token, and a browser
 * that stops reading. Alerts are published on {@code vigil.alerts} directly, as the detection
 * topology would, so that the test decides their content and size.
 */
class ConsoleIT {

  private static final String TOKEN = "it-" + UUID.randomUUID();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int MAX_STREAMS = 2;

  @TempDir static Path dataDir;

  private static VigilRuntime runtime;
  private static KafkaProducer<String, Alert> producer;
  private static String topic;

  @BeforeAll
  static void startVigil() throws Exception {
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "data.dir",
                dataDir.toString(),
                "kafka.embedded.port",
                "0",
                "http.port",
                "0",
                "http.host",
                "127.0.0.1",
                "topics.partitions",
                "1",
                "sinks",
                "[]",
                "http.token",
                TOKEN));
    settings.putAll(
        Map.of(
            "console.streams.max",
            Integer.toString(MAX_STREAMS),
            "console.stream.queue",
            "32",
            "console.stream.replay",
            "64",
            "console.keepalive.interval",
            "1s"));
    runtime =
        VigilRuntime.start(
            VigilConfig.load(Optional.empty(), Map.of(), settings), PipelineComponents.all());
    assertThat(HttpProbe.awaitReady(runtime.httpPort(), WAIT)).isEqualTo(200);
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    topic = topics.alerts().name();
    producer =
        new KafkaProducer<>(
            new HashMap<>(runtime.kafka().clientProperties()),
            topics.alerts().keySerde().serializer(),
            topics.alerts().valueSerde().serializer());
  }

  @AfterAll
  static void stopVigil() {
    if (producer != null) {
      producer.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void consolePageIsServedWithTheToken() throws Exception {
    HttpResponse<String> page = get("/console", TOKEN);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Vigil console</title>").contains("/console/app.mjs");
    assertThat(get("/console/app.mjs", TOKEN).statusCode()).isEqualTo(200);
    assertThat(get("/console/view.mjs", TOKEN).body()).contains("export class AlertBoard");
  }

  @Test
  void tokenIsRequiredOnTheConsoleTheApiAndMetricsButNotOnTheProbes() throws Exception {
    assertThat(get("/console", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/alerts", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/posture?failing=true", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/alerts", "not-" + TOKEN).statusCode()).isEqualTo(401);
    assertThat(get("/api/alerts", TOKEN).statusCode()).isEqualTo(200);
    try (EventStreamClient refused = EventStreamClient.open(runtime.httpPort(), null, null)) {
      assertThat(refused.status()).isEqualTo(401);
    }
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/ready", null).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
    assertThat(get("/metrics", TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void streamSendsTheExistingAlertsThenNewOnesAndTheirUpdatesAndResumesFromAnEventId()
      throws Exception {
    String existing = "it-existing-" + UUID.randomUUID();
    publish(alert(existing, 0, 1, "arn:aws:iam::111122223333:user/mallory", ""));
    awaitApi("/api/alerts?limit=10000", existing);

    String fresh = "it-new-" + UUID.randomUUID();
    String firstId;
    awaitOpenStreams(0);
    try (EventStreamClient stream = EventStreamClient.open(runtime.httpPort(), TOKEN, null)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.contentType()).startsWith("text/event-stream");
      List<Event> untilSynced = stream.until(e -> e.name().equals("synced"), WAIT);
      assertThat(untilSynced).anySatisfy(e -> assertThat(e.name()).isEqualTo("snapshot"));
      assertThat(alertsIn(untilSynced)).anySatisfy(a -> assertAlert(a, existing, 0));
      Event synced = untilSynced.get(untilSynced.size() - 1);
      assertThat(synced.id()).isNotBlank();
      assertThat(JSON.readTree(synced.data()).get("resumed").asBoolean()).isFalse();

      String entity = "<script>alert(document.cookie)</script>";
      publish(alert(fresh, 0, 1, entity, ""));
      Event created = last(stream.until(e -> isAlert(e, fresh), WAIT));
      assertThat(created.id()).isNotBlank();
      assertThat(JSON.readTree(created.data()).get("entity").asText()).isEqualTo(entity);
      firstId = created.id();

      publish(alert(fresh, 1, 2, entity, ""));
      Event updated = last(stream.until(e -> isAlert(e, fresh), WAIT));
      assertAlert(updated, fresh, 1);
      assertThat(JSON.readTree(updated.data()).get("count").asLong()).isEqualTo(2);
      assertThat(updated.id()).isNotEqualTo(firstId);

      List<Event> idle = stream.until(Event::isComment, WAIT);
      assertThat(idle.get(idle.size() - 1).data()).isEqualTo("keep-alive");
    }

    // A browser that saw the first publication of the new alert reconnects: only the update comes.
    awaitOpenStreams(0);
    try (EventStreamClient resumed = EventStreamClient.open(runtime.httpPort(), TOKEN, firstId)) {
      assertThat(resumed.status()).isEqualTo(200);
      List<Event> events = resumed.until(e -> e.name().equals("synced"), WAIT);
      assertThat(events)
          .filteredOn(e -> e.name().equals("alert"))
          .singleElement()
          .satisfies(e -> assertAlert(e, fresh, 1));
      assertThat(JSON.readTree(last(events).data()).get("resumed").asBoolean()).isTrue();
    }

    // An id this server did not write: the whole current state again, with the latest update.
    awaitOpenStreams(0);
    try (EventStreamClient resynced =
        EventStreamClient.open(runtime.httpPort(), TOKEN, "from-elsewhere")) {
      assertThat(resynced.status()).isEqualTo(200);
      List<Event> events = resynced.until(e -> e.name().equals("synced"), WAIT);
      assertThat(alertsIn(events)).anySatisfy(a -> assertAlert(a, existing, 0));
      assertThat(alertsIn(events))
          .filteredOn(a -> a.get("dedup_key").asText().equals(fresh))
          .last()
          .satisfies(a -> assertAlert(a, fresh, 1));
      assertThat(JSON.readTree(last(events).data()).get("resumed").asBoolean()).isFalse();
    }
  }

  @Test
  void browserThatStopsReadingIsDisconnectedWithoutHoldingBackAnother() throws Exception {
    awaitOpenStreams(0);
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", runtime.httpPort()));
      slow.getOutputStream()
          .write(
              ("GET /api/alerts/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Authorization: Bearer "
                      + TOKEN
                      + "\r\nAccept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      awaitOpenStreams(1);

      try (EventStreamClient fast = EventStreamClient.open(runtime.httpPort(), TOKEN, null)) {
        assertThat(fast.status()).isEqualTo(200);
        fast.until(e -> e.name().equals("synced"), WAIT);
        try (EventStreamClient third = EventStreamClient.open(runtime.httpPort(), TOKEN, null)) {
          assertThat(third.status()).as("console.streams.max=%d", MAX_STREAMS).isEqualTo(503);
        }

        // Waves the fast browser reads in full before the next one, so that only the slow one
        // can fall behind; each alert carries 64 KiB of evidence to fill the slow one's socket.
        String padding = "x".repeat(64 * 1024);
        int waves = 0;
        while (dropped() == 0) {
          assertThat(waves++)
              .as("waves of 1 MiB before the slow browser was dropped")
              .isLessThan(60);
          List<String> keys = new ArrayList<>();
          for (int i = 0; i < 16; i++) {
            String key = "it-bulk-" + UUID.randomUUID();
            keys.add(key);
            publish(alert(key, 0, 1, "10.0.0." + i, padding));
          }
          for (String key : keys) {
            fast.until(e -> isAlert(e, key), WAIT);
          }
        }

        // The slow browser's connection is closed: reading what it was sent ends.
        slow.setSoTimeout((int) WAIT.toMillis());
        InputStream in = slow.getInputStream();
        try {
          while (in.read(new byte[1 << 16]) >= 0) {
            // drain what the server had sent before it closed the connection
          }
        } catch (java.net.SocketException reset) {
          // closed with data unread on the server side: a reset, also a disconnect
        }

        String last = "it-after-" + UUID.randomUUID();
        publish(alert(last, 0, 1, "after", ""));
        fast.until(e -> isAlert(e, last), WAIT);
        awaitOpenStreams(1);
      }
    }
  }

  private static void publish(Alert alert) throws Exception {
    producer.send(new ProducerRecord<>(topic, alert.getDedupKey(), alert)).get();
  }

  private static Alert alert(
      String dedupKey, int update, long count, String entity, String padding) {
    return Alert.newBuilder()
        .setAlertId(UUID.nameUUIDFromBytes(dedupKey.getBytes(StandardCharsets.UTF_8)).toString())
        .setRuleId("aws-root-account-usage")
        .setTitle("Root account used")
        .setSeverity(Severity.high)
        .setAccountId("111122223333")
        .setRegion("us-east-1")
        .setEntity(entity)
        .setFirstSeen("2026-11-28T10:00:00Z")
        .setLastSeen("2026-11-28T10:0" + Math.min(update, 9) + ":00Z")
        .setCount(count)
        .setEventIds(List.of("event-" + update))
        .setCompliance(List.of("CIS-AWS 4.3"))
        .setAttack(List.of("T1078.004"))
        .setDedupKey(dedupKey)
        .setDescription("The root user was used.")
        .setEvidence(
            padding.isEmpty() ? Map.of("eventName", "ConsoleLogin") : Map.of("padding", padding))
        .setUpdate(update)
        .setSource(AlertSource.cloudtrail)
        .build();
  }

  private static boolean isAlert(Event event, String dedupKey) {
    return event.name().equals("alert")
        && event.data().contains("\"dedup_key\":\"" + dedupKey + "\"");
  }

  /**
   * The alerts of a stream's events in order: each {@code alert}, each element of a {@code
   * snapshot}.
   */
  private static List<JsonNode> alertsIn(List<Event> events) {
    List<JsonNode> alerts = new java.util.ArrayList<>();
    for (Event event : events) {
      try {
        if (event.name().equals("alert")) {
          alerts.add(JSON.readTree(event.data()));
        } else if (event.name().equals("snapshot")) {
          JSON.readTree(event.data()).forEach(alerts::add);
        }
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + event.data(), e);
      }
    }
    return alerts;
  }

  private static void assertAlert(JsonNode alert, String dedupKey, int update) {
    assertThat(alert.get("dedup_key").asText()).isEqualTo(dedupKey);
    assertThat(alert.get("update").asInt()).isEqualTo(update);
  }

  private static void assertAlert(Event event, String dedupKey, int update) {
    assertThat(event.name()).isEqualTo("alert");
    try {
      JsonNode alert = JSON.readTree(event.data());
      assertThat(alert.get("dedup_key").asText()).isEqualTo(dedupKey);
      assertThat(alert.get("update").asInt()).isEqualTo(update);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + event.data(), e);
    }
  }

  private static Event last(List<Event> events) {
    return events.get(events.size() - 1);
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.httpPort() + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitApi(String path, String expected) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    String body = "";
    while (System.nanoTime() < end) {
      HttpResponse<String> response = get(path, TOKEN);
      body = response.body();
      if (response.statusCode() == 200 && body.contains(expected)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(path + " never contained " + expected + "; last body: " + body);
  }

  private static double metric(String name) throws Exception {
    Matcher value =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(get("/metrics", TOKEN).body());
    return value.find() ? Double.parseDouble(value.group(2)) : Double.NaN;
  }

  private static double dropped() throws Exception {
    return metric("vigil_console_streams_dropped_total");
  }

  /**
   * Waits until the server has this many streams open (ended ones are noticed at the next write).
   */
  private static void awaitOpenStreams(int expected) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (metric("vigil_console_streams") != expected) {
      assertThat(System.nanoTime())
          .as("open streams never reached %d (now %s)", expected, metric("vigil_console_streams"))
          .isLessThan(end);
      Thread.sleep(200);
    }
  }
}
