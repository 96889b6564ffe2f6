package io.vigil.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.Severity;
import io.vigil.schemas.SourceType;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import io.vigil.sinks.ReceiverStub.Answer;
import io.vigil.sinks.delivery.Sink;
import io.vigil.sinks.http.WebhookSink;
import io.vigil.sinks.render.Workflow;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sinks on the in-process broker, delivering to real HTTP receivers on 127.0.0.1. */
@ExtendWith(InProcessKafkaExtension.class)
class SinksServiceIT {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  // Short backoffs: the tests are about the behaviour, not the waiting.
  private static final String FAST_RETRY = "    initial_backoff: 50ms\n    max_backoff: 200ms\n";

  private final KafkaCluster kafka;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  SinksServiceIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private ReceiverStub receiver() throws Exception {
    ReceiverStub stub = new ReceiverStub();
    closeables.add(stub);
    return stub;
  }

  private SinksService start(
      AlertTopics topics,
      String yaml,
      Map<String, String> env,
      String group,
      SimpleMeterRegistry registry)
      throws Exception {
    return start(topics, yaml, env, group, registry, SinksService.Options.defaults());
  }

  private SinksService start(
      AlertTopics topics,
      String yaml,
      Map<String, String> env,
      String group,
      SimpleMeterRegistry registry,
      SinksService.Options options)
      throws Exception {
    List<SinkDefinition> defs = SinkDefinitions.parse(YAML.readTree(yaml).get("sinks"), env);
    SinksService service =
        SinksService.start(
            defs, kafka.clientProperties(), topics.topics(), group, registry, options);
    closeables.add(service);
    return service;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static List<Alert> alerts(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> TestAlerts.numbered(i, "aws-rule-" + (i % 3), Severity.high))
        .toList();
  }

  @Test
  void httpSinksReceiveCorrectlyShapedRequestsWithIdempotencyKeys() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 2);
    ReceiverStub webhook = receiver();
    ReceiverStub pagerduty = receiver();
    ReceiverStub splunk = receiver();
    ReceiverStub slack = receiver();
    Alert first = TestAlerts.stopLogging();
    Alert update = TestAlerts.updated(first, 1);
    Alert other = TestAlerts.numbered(7, "aws-iam-root-login", Severity.critical);
    Alert low = TestAlerts.numbered(8, "aws-iam-root-login", Severity.low);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    start(
        topics,
        """
        sinks:
          - type: webhook
            name: hook
            url: %s
            secret: ${HOOK_SECRET}
            headers: {X-Tenant: acme}
          - type: pagerduty
            name: oncall
            url: %s
            routing_key: ${PD_KEY}
            min_severity: high
          - type: splunk-hec
            name: splunk
            url: %s
            token: ${HEC_TOKEN}
            index: security
          - type: slack
            name: chat
            url: %s
            min_interval: 100ms
        """
            .formatted(
                webhook.url("/hook"),
                pagerduty.url("/v2/enqueue"),
                splunk.url(""),
                slack.url("/services/T/B/X")),
        Map.of(
            "HOOK_SECRET",
            "hook-secret-1",
            "PD_KEY",
            "pd-routing-key-1",
            "HEC_TOKEN",
            "hec-token-1"),
        "it-" + UUID.randomUUID(),
        registry);

    topics.publish(List.of(first, update, other, low));

    await("webhook", () -> webhook.accepted().size() == 4);
    await("pagerduty", () -> pagerduty.accepted().size() == 3);
    await(
        "splunk",
        () -> splunk.accepted().stream().mapToLong(r -> r.body().lines().count()).sum() == 4);
    await(
        "slack",
        () -> slack.accepted().stream().anyMatch(r -> r.body().contains("aws-iam-root-login")));

    assertThat(webhook.accepted())
        .extracting(r -> r.header(WebhookSink.IDEMPOTENCY_HEADER))
        .containsExactlyInAnyOrder(
            Sink.idempotencyKey(first),
            Sink.idempotencyKey(update),
            Sink.idempotencyKey(other),
            Sink.idempotencyKey(low));
    for (ReceiverStub.Request r : webhook.accepted()) {
      assertThat(r.header("X-Vigil-Signature"))
          .isEqualTo("sha256=" + WebhookSink.sign(Secret.of("hook-secret-1"), r.body()));
      assertThat(r.header("X-Tenant")).isEqualTo("acme");
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
      assertThat(JSON.readTree(r.body()).get("dedup_key").asText()).isNotBlank();
    }

    List<JsonNode> events = new ArrayList<>();
    for (ReceiverStub.Request r : pagerduty.accepted()) {
      events.add(JSON.readTree(r.body()));
    }
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.get("routing_key").asText()).isEqualTo("pd-routing-key-1");
              assertThat(e.get("event_action").asText()).isEqualTo("trigger");
            });
    // The update went out under the first publication's key: one incident, not two.
    assertThat(events.stream().map(e -> e.get("dedup_key").asText()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(first.getDedupKey(), other.getDedupKey());

    ReceiverStub.Request hec = splunk.accepted().get(0);
    assertThat(hec.path()).isEqualTo("/services/collector/event");
    assertThat(hec.header("Authorization")).isEqualTo("Splunk hec-token-1");
    JsonNode event = JSON.readTree(hec.body().lines().findFirst().orElseThrow());
    assertThat(event.get("sourcetype").asText()).isEqualTo("vigil:alert");
    assertThat(event.get("index").asText()).isEqualTo("security");
    assertThat(event.get("time").asDouble()).isEqualTo(1709633730.0);
    assertThat(event.at("/fields/vigil_idempotency_key").asText()).contains(":");

    await(
        "metrics",
        () -> registry.get("vigil.sink.sent").tag("sink", "hook").counter().count() == 4);
    assertThat(
            registry
                .get("vigil.sink.filtered")
                .tag("sink", "oncall")
                .tag("feed", "alerts")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("vigil.sink.latency").tag("sink", "hook").timer().count()).isEqualTo(4);
  }

  @Test
  void pagerDutyAcknowledgesAndResolvesAsAnalystsTriageAndSkipsWhatItHasNoActionFor()
      throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 2);
    ReceiverStub pagerduty = receiver();
    Alert alert = TestAlerts.stopLogging();
    start(
        topics,
        """
        sinks:
          - type: pagerduty
            name: oncall
            url: %s
            routing_key: ${PD_KEY}
        """
            .formatted(pagerduty.url("/v2/enqueue")),
        Map.of("PD_KEY", "pd-routing-key-0123456789"),
        "it-triage",
        new SimpleMeterRegistry());
    topics.publish(List.of(alert));
    topics.publishTriage(
        List.of(
            triage(alert, TriageStatus.acknowledged, null),
            triage(alert, null, "alice"),
            triage(alert, TriageStatus.open, null),
            triage(alert, TriageStatus.false_positive, null)));
    await("trigger, acknowledge and resolve", () -> pagerduty.accepted().size() == 3);
    Thread.sleep(500); // nothing more may come: the assignment and the reopen have no action
    List<JsonNode> events = new ArrayList<>();
    for (ReceiverStub.Request r : pagerduty.accepted()) {
      events.add(JSON.readTree(r.body()));
    }
    assertThat(events).hasSize(3);
    assertThat(events)
        .extracting(e -> e.get("event_action").asText())
        .containsExactlyInAnyOrder("trigger", "acknowledge", "resolve");
    assertThat(events)
        .allSatisfy(e -> assertThat(e.get("dedup_key").asText()).isEqualTo(alert.getDedupKey()));
    JsonNode acknowledge =
        events.stream()
            .filter(e -> e.get("event_action").asText().equals("acknowledge"))
            .findFirst()
            .orElseThrow();
    assertThat(acknowledge.get("routing_key").asText()).isEqualTo("pd-routing-key-0123456789");
    int acknowledged = indexOf(events, "acknowledge");
    assertThat(indexOf(events, "resolve"))
        .as("in the order they were made")
        .isGreaterThan(acknowledged);
  }

  @Test
  void pagingPerIncidentPagesOnceForRelatedAlertsAndRemembersTheIncidentAcrossARestart()
      throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 2);
    ReceiverStub pagerduty = receiver();
    String group = "it-incident-" + UUID.randomUUID();
    String yaml =
        """
        sinks:
          - type: pagerduty
            name: oncall
            url: %s
            routing_key: pd-routing-key-0123456789
            page_per: incident
            incident_window: 1h
        """
            .formatted(pagerduty.url("/v2/enqueue"));
    String alice = "arn:aws:iam::111122223333:user/alice";
    Alert brute =
        TestAlerts.on("a1", "brute-force", Severity.medium, alice, "10:00", "10:05", Map.of());
    Alert stop =
        TestAlerts.on("a2", "stop-logging", Severity.critical, alice, "10:30", "10:30", Map.of());
    Alert other =
        TestAlerts.on(
            "a3", "stop-logging", Severity.high, "198.51.100.9", "10:31", "10:31", Map.of());
    SinksService first = start(topics, yaml, Map.of(), group, new SimpleMeterRegistry());
    // Delivered in first-seen order, as live alerts mostly are.
    topics.publish(List.of(brute));
    await("the first trigger", () -> pagerduty.accepted().size() == 1);
    topics.publish(List.of(stop, other));
    await("three triggers", () -> pagerduty.accepted().size() == 3);
    first.close();

    // Restarted, the sink recalls the incidents of the last hour before its committed offsets.
    Alert key = TestAlerts.on("a4", "key-created", Severity.low, alice, "10:45", "10:45", Map.of());
    start(topics, yaml, Map.of(), group, new SimpleMeterRegistry());
    topics.publish(List.of(key));
    topics.publishTriage(
        List.of(
            TriageChange.newBuilder(triage(key, TriageStatus.acknowledged, null))
                .setAlert(key)
                .build()));
    await("the fourth trigger and the acknowledgement", () -> pagerduty.accepted().size() == 5);

    Map<String, List<String>> keysByAction = new java.util.TreeMap<>();
    for (ReceiverStub.Request r : pagerduty.accepted()) {
      JsonNode event = JSON.readTree(r.body());
      keysByAction
          .computeIfAbsent(event.get("event_action").asText(), k -> new ArrayList<>())
          .add(event.get("dedup_key").asText());
    }
    // Alice's first alert names her incident, before and after the restart; the other address
    // pages its own.
    String incident = "incident:" + brute.getDedupKey();
    assertThat(keysByAction.get("trigger"))
        .containsExactlyInAnyOrder(incident, incident, incident, "incident:" + other.getDedupKey());
    assertThat(keysByAction.get("acknowledge")).containsExactly(incident);
  }

  private static int indexOf(List<JsonNode> events, String action) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).get("event_action").asText().equals(action)) {
        return i;
      }
    }
    return -1;
  }

  private static TriageChange triage(Alert alert, TriageStatus status, String assignee) {
    return TriageChange.newBuilder()
        .setAlertId(alert.getAlertId())
        .setDedupKey(alert.getDedupKey())
        .setAt("2026-12-04T10:00:00Z")
        .setBy("alice")
        .setStatus(status)
        .setAssignee(assignee)
        .build();
  }

  @Test
  void receiverAnswering503ForAWhileGetsEveryAlertOncePerKeyAfterRecovering() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    ReceiverStub webhook =
        receiver()
            .answer(
                n -> n < 6 ? new Answer(503, Map.of("Retry-After", "0"), "busy") : Answer.of(200));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String group = "it-" + UUID.randomUUID();
    SinksService service =
        start(
            topics,
            """
            sinks:
              - type: webhook
                name: flaky
                url: %s
                max_attempts: 10
            %s\
            """
                .formatted(webhook.url("/hook"), FAST_RETRY),
            Map.of(),
            group,
            registry);
    List<Alert> alerts = new ArrayList<>(alerts(5));
    alerts.add(TestAlerts.updated(alerts.get(0), 1));

    topics.publish(alerts);

    await("all alerts", () -> webhook.accepted().size() >= 6);
    assertThat(webhook.accepted())
        .extracting(r -> r.header("Idempotency-Key"))
        .containsExactlyInAnyOrderElementsOf(alerts.stream().map(Sink::idempotencyKey).toList());
    assertThat(registry.get("vigil.sink.retried").counter().count()).isEqualTo(6);
    assertThat(topics.deadLetters(1, Duration.ofSeconds(1))).isEmpty();
    assertThat(service.health().get("flaky").ready()).isTrue();
    // The sink's consumer reports how far behind it is, under its group id.
    await(
        "the sink's lag metric",
        () ->
            !registry
                .find("kafka.consumer.fetch.manager.records.lag.max")
                .tag("client.id", SinksService.groupId(group, "flaky"))
                .gauges()
                .isEmpty());
  }

  @Test
  void receiverAnswering400SendsTheAlertToTheDlqWithTheReasonAndMovesOn() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    List<Alert> alerts = alerts(3);
    String bad = alerts.get(1).getDedupKey();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReceiverStub refusing = receiver();
    start(
        topics,
        """
        sinks:
          - type: webhook
            name: strict
            url: %s
        %s\
        """
            .formatted(refusing.url("/hook"), FAST_RETRY),
        Map.of(),
        "it-" + UUID.randomUUID(),
        registry);
    // One partition, delivered in order: the second request is the second alert.
    refusing.answer(
        n ->
            n == 1 ? new Answer(400, Map.of(), "{\"error\":\"invalid payload\"}") : Answer.of(200));

    topics.publish(alerts);

    List<Rejected> dead = topics.deadLetters(1, WAIT);
    await("the alert after the refused one", () -> refusing.accepted().size() == 2);
    assertThat(dead).hasSize(1);
    Rejected rejected = dead.get(0);
    assertThat(rejected.getSourceType()).isEqualTo(SourceType.sink);
    assertThat(rejected.getReason()).isEqualTo("sink_http_400");
    assertThat(rejected.getMessage()).contains("HTTP 400").contains("invalid payload");
    assertThat(rejected.getComponent()).isEqualTo("sinks.strict");
    assertThat(rejected.getAttributes())
        .containsEntry("dedup_key", bad)
        .containsEntry("attempts", "1");
    assertThat(new String(rejected.getRaw().array(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"dedup_key\":\"" + bad + "\"");
    assertThat(registry.get("vigil.sink.failed").tag("cause", "fatal").counter().count())
        .isEqualTo(1);
  }

  @Test
  void retriesExhaustedSendTheAlertToTheDlq() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    ReceiverStub down = receiver().answer(n -> Answer.of(500));
    start(
        topics,
        """
        sinks:
          - type: webhook
            name: down
            url: %s
            max_attempts: 3
        %s\
        """
            .formatted(down.url("/hook"), FAST_RETRY),
        Map.of(),
        "it-" + UUID.randomUUID(),
        new SimpleMeterRegistry());

    topics.publish(alerts(1));

    List<Rejected> dead = topics.deadLetters(1, WAIT);
    assertThat(dead)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getReason()).isEqualTo("sink_retries_exhausted");
              assertThat(r.getMessage()).contains("http_500").contains("3 attempt");
            });
    assertThat(down.requests()).hasSize(3);
  }

  @Test
  void aSinkStoppedMidBatchAndRestartedLosesNothing() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 2);
    ReceiverStub webhook =
        receiver()
            .answer(
                n -> {
                  sleep(30); // a receiver slow enough to stop the sink while it works through the
                  // batch
                  return Answer.of(200);
                });
    String group = "it-" + UUID.randomUUID();
    String yaml =
        """
        sinks:
          - type: webhook
            name: restartable
            url: %s
        """
            .formatted(webhook.url("/hook"));
    List<Alert> alerts = alerts(60);
    topics.publish(alerts);

    SinksService first = start(topics, yaml, Map.of(), group, new SimpleMeterRegistry());
    await("a first part", () -> webhook.accepted().size() >= 10);
    first.close();
    int beforeRestart = webhook.accepted().size();
    assertThat(beforeRestart).isLessThan(60);

    start(topics, yaml, Map.of(), group, new SimpleMeterRegistry());
    await(
        "every alert",
        () ->
            webhook.accepted().stream()
                    .map(r -> r.header("Idempotency-Key"))
                    .collect(Collectors.toSet())
                    .size()
                == 60);

    Map<String, Long> perKey =
        webhook.accepted().stream()
            .collect(
                Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
    assertThat(perKey.keySet())
        .containsExactlyInAnyOrderElementsOf(alerts.stream().map(Sink::idempotencyKey).toList());
    long duplicates = webhook.accepted().size() - 60;
    // At-least-once: a duplicate can only be an alert in flight at the stop, and carries its key.
    assertThat(duplicates).isLessThanOrEqualTo(2);
  }

  @Test
  void aStuckSinkNeverDelaysAnother() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    ReceiverStub stuck = receiver().answer(n -> new Answer(503, Map.of("Retry-After", "60"), ""));
    ReceiverStub healthy = receiver();
    start(
        topics,
        """
        sinks:
          - type: webhook
            name: stuck
            url: %s
          - type: webhook
            name: healthy
            url: %s
        """
            .formatted(stuck.url("/a"), healthy.url("/b")),
        Map.of(),
        "it-" + UUID.randomUUID(),
        new SimpleMeterRegistry());

    topics.publish(alerts(5));

    long started = System.nanoTime();
    await("the healthy sink", () -> healthy.accepted().size() == 5);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(stuck.accepted()).isEmpty();
  }

  @Test
  void secretsNeverAppearInLogsDeadLettersOrHealth() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    String routingKey = "R0UT1NG-" + UUID.randomUUID();
    String slackPath = "/services/T0/B0/" + UUID.randomUUID();
    // A receiver that echoes the request into its error answer, as some do.
    ReceiverStub echoing = receiver();
    ReceiverStub closed = receiver();
    String deadSlack = closed.url(slackPath).toString();
    closed.close(); // nothing listens there any more: connection refused
    Map<String, String> env = Map.of("PD_KEY", routingKey, "SLACK_URL", deadSlack);
    try (LogCapture logs = new LogCapture()) {
      SinksService service =
          start(
              topics,
              """
              sinks:
                - type: pagerduty
                  name: oncall
                  url: %s
                  routing_key: ${PD_KEY}
                - type: slack
                  name: chat
                  url: ${SLACK_URL}
                  max_attempts: 2
              %s\
              """
                  .formatted(echoing.url("/v2/enqueue"), FAST_RETRY),
              env,
              "it-" + UUID.randomUUID(),
              new SimpleMeterRegistry());
      echoing.answer(
          n -> new Answer(400, Map.of(), "{\"error\":\"bad routing key " + routingKey + "\"}"));

      topics.publish(alerts(1));

      List<Rejected> dead = topics.deadLetters(2, WAIT);
      assertThat(dead).hasSize(2);
      String everything = logs.text() + dead + service.health();
      assertThat(everything).doesNotContain(routingKey).doesNotContain(slackPath);
      assertThat(dead).anySatisfy(r -> assertThat(r.getMessage()).contains("****"));
      assertThat(logs.text()).contains("sent to the DLQ");
    }
  }

  @Test
  void aReceiverEchoingTheRequestInItsErrorLeaksNoSecretAndIsTrimmed() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    String pathToken = "PATHTOKEN-" + UUID.randomUUID();
    String querySig = "QUERYSIG-" + UUID.randomUUID();
    String literalAuth = "LITERAL-AUTH-" + UUID.randomUUID();
    String envKey = "ENV-KEY-" + UUID.randomUUID();
    // A receiver that echoes the request path and every header it got, then a lot more, with a
    // newline that would forge a log line.
    ReceiverStub echoing = receiver();
    echoing.answer(
        (Integer n, ReceiverStub.Request request) -> {
          return new Answer(
              500,
              Map.of(),
              "no route for "
                  + request.path()
                  + "\nWARN forged "
                  + request.headers()
                  + "x".repeat(20_000));
        });
    try (LogCapture logs = new LogCapture()) {
      start(
          topics,
          """
          sinks:
            - type: webhook
              name: echo
              url: %s
              headers:
                Authorization: Bearer %s
                X-Api-Key: ${API_KEY}
              max_attempts: 2
          %s\
          """
              .formatted(
                  echoing.url("/t/" + pathToken + "?sig=" + querySig), literalAuth, FAST_RETRY),
          Map.of("API_KEY", envKey),
          "it-" + UUID.randomUUID(),
          new SimpleMeterRegistry());

      topics.publish(alerts(1));

      Rejected dead = topics.deadLetters(1, WAIT).get(0);
      await("the DLQ line in the log", () -> logs.text().contains("sent to the DLQ"));
      assertThat(echoing.requests()).hasSize(2);
      String everything = logs.text() + dead;
      assertThat(everything).doesNotContain(pathToken, querySig, literalAuth, envKey);
      assertThat(dead.getMessage())
          .contains("HTTP 500: no route for ***")
          .contains("\\nWARN forged")
          .doesNotContain("\n")
          .hasSizeLessThan(1_000);
      assertThat(logs.text()).doesNotContain("\nWARN forged");
    }
  }

  @Test
  void kafkaSinkRepublishesOcsfWithTheIdempotencyKey() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    String target = "it-" + UUID.randomUUID() + ".ocsf";
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(target, 1, (short) 1))).all().get();
    }
    start(
        topics,
        """
        sinks:
          - type: kafka
            name: siem
            topic: %s
        """
            .formatted(target),
        Map.of(),
        "it-" + UUID.randomUUID(),
        new SimpleMeterRegistry());
    Alert first = TestAlerts.stopLogging();
    topics.publish(List.of(first, TestAlerts.updated(first, 1)));

    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Set.of(target));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (got.size() < 2 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
      }
    }
    assertThat(got).hasSize(2);
    assertThat(got).allSatisfy(r -> assertThat(r.key()).isEqualTo(first.getDedupKey()));
    JsonNode second = JSON.readTree(got.get(1).value());
    assertThat(second.get("class_uid").asInt()).isEqualTo(2004);
    assertThat(second.get("type_uid").asInt()).isEqualTo(200402);
    assertThat(
            new String(
                got.get(1).headers().lastHeader("idempotency-key").value(),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(first.getDedupKey() + ":1");
  }

  @Test
  void kafkaSinkSendsTheFindingAgainAtEachTriageChangeAndLaterUpdatesKeepTheState()
      throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    String target = "it-" + UUID.randomUUID() + ".ocsf";
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(target, 1, (short) 1))).all().get();
    }
    // What the application's triage log answers: set as the test's analyst changes the alert.
    Map<String, Workflow> states = new java.util.concurrent.ConcurrentHashMap<>();
    SinksService service =
        start(
            topics,
            """
            sinks:
              - type: kafka
                name: siem
                topic: %s
                min_severity: medium
              - type: stdout
                name: plain
            """
                .formatted(target),
            Map.of(),
            "it-" + UUID.randomUUID(),
            new SimpleMeterRegistry(),
            SinksService.Options.defaults()
                .withWorkflows(
                    alert -> states.getOrDefault(alert.getAlertId(), Workflow.UNTRIAGED)));
    assertThat(service.health().keySet())
        .as("Vigil's alert JSON has no triage state: only the OCSF sink follows triage")
        .contains("siem/triage")
        .doesNotContain("plain/triage");

    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Set.of(target));
      Alert alert = TestAlerts.stopLogging();
      topics.publish(List.of(alert));
      readUntil(consumer, got, 1);
      TriageChange ack =
          TriageChange.newBuilder(triage(alert, TriageStatus.acknowledged, null))
              .setNote("looking")
              .setAlert(alert)
              .build();
      topics.publishTriage(List.of(ack));
      readUntil(consumer, got, 2);
      states.put(alert.getAlertId(), new Workflow(TriageStatus.acknowledged, "", null));
      topics.publish(List.of(TestAlerts.updated(alert, 1)));
      readUntil(consumer, got, 3);
      TriageChange resolve =
          TriageChange.newBuilder(triage(alert, TriageStatus.resolved, null))
              .setAt("2026-12-04T10:05:00Z")
              .setAlert(TestAlerts.updated(alert, 1))
              .build();
      // A change recorded without its alert has nothing to render, and one of an alert below
      // the sink's min_severity was never sent: both passed over.
      Alert low =
          Alert.newBuilder(alert)
              .setAlertId("low-1")
              .setDedupKey("low-key")
              .setSeverity(Severity.low)
              .build();
      topics.publishTriage(
          List.of(
              triage(alert, TriageStatus.open, null),
              TriageChange.newBuilder(triage(low, TriageStatus.resolved, null))
                  .setAlert(low)
                  .build(),
              resolve));
      readUntil(consumer, got, 4);
      Thread.sleep(500);
      consumer.poll(Duration.ofMillis(200)).forEach(got::add);
    }

    assertThat(got).hasSize(4);
    assertThat(got)
        .extracting(ConsumerRecord::key)
        .containsOnly(TestAlerts.stopLogging().getDedupKey());
    List<JsonNode> findings = new ArrayList<>();
    for (ConsumerRecord<String, String> r : got) {
      findings.add(JSON.readTree(r.value()));
    }
    assertThat(findings)
        .extracting(f -> f.get("activity_name").asText() + " " + f.get("status").asText())
        .containsExactly(
            "Create New", "Update In Progress", "Update In Progress", "Close Resolved");
    assertThat(findings.get(1).get("comment").asText()).isEqualTo("looking");
    assertThat(findings.get(1).at("/unmapped/triaged_by").asText()).isEqualTo("alice");
    assertThat(
            new String(
                got.get(1).headers().lastHeader("idempotency-key").value(),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(TestAlerts.stopLogging().getDedupKey() + ":0:triage:2026-12-04T10:00:00Z:alice");
  }

  private static void readUntil(
      KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> got, int count) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (got.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(got::add);
    }
    assertThat(got).as("records on the sink's topic").hasSizeGreaterThanOrEqualTo(count);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
