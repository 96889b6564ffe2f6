package io.vigil.streams.detection;

import static io.vigil.streams.detection.TestEvents.ct;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The running pipeline counts what {@code vigil scan} counts: generated CloudTrail streams (many
 * suppression and correlation windows, principals, addresses and rules, out of order within the
 * grace period, a few duplicates) go through the detection topology on a real broker (three input
 * partitions, exactly-once, stopped and restarted halfway) and through the offline detector, and
 * the final publication of every alert must agree: same alerts, same counts, same first and last
 * event times. Each seed is one generated stream; a failure names it.
 */
@ExtendWith(InProcessKafkaExtension.class)
class PipelineScanParityIT {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Duration DISORDER = Duration.ofMinutes(10);
  // The default windows and grace; updates held back for 5 s instead of a minute, so that the
  // pipeline's final publications come out sooner.
  private static final DetectionSettings SETTINGS =
      new DetectionSettings(
          List.of(),
          java.util.Set.of(),
          Map.of(),
          DetectionSettings.DEFAULTS.grace(),
          new io.vigil.streams.alerts.AlertSuppressor.Settings(
              Duration.ofMinutes(15), Duration.ofSeconds(5), 20),
          DetectionSettings.DEFAULTS.dedupRetention(),
          List.of(),
          Map.of(),
          null,
          RulePack.BUNDLED);
  private static final DetectionEngine ENGINE = DetectionEngine.load(SETTINGS);

  private final KafkaCluster kafka;

  PipelineScanParityIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void theRunningPipelineEndsWithTheScansAlertsAndCounts(long seed) throws Exception {
    List<CloudTrailEvent> arrivals = generate(new Random(seed));

    Map<String, Alert> scanned = new HashMap<>();
    OfflineDetector detector =
        new OfflineDetector(ENGINE, SETTINGS, alert -> scanned.put(alert.getDedupKey(), alert));
    arrivals.forEach(detector::accept);
    detector.finish();
    assertThat(scanned).as("seed %d raises alerts at all", seed).hasSizeGreaterThan(10);

    Map<String, Alert> published = runPipeline(seed, arrivals, summary(scanned));

    assertThat(summary(published)).as("seed %d", seed).isEqualTo(summary(scanned));
  }

  /** What must agree, by dedup key: rule, entity, count, first and last event time. */
  private static Map<String, String> summary(Map<String, Alert> alerts) {
    Map<String, String> summary = new TreeMap<>();
    alerts.forEach(
        (key, alert) ->
            summary.put(
                key,
                alert.getRuleId()
                    + " "
                    + alert.getEntity()
                    + " count="
                    + alert.getCount()
                    + " "
                    + alert.getFirstSeen()
                    + ".."
                    + alert.getLastSeen()));
    return summary;
  }

  /**
   * Bursts of events of five kinds, each of a random principal or address, at random times over
   * three hours; then the arrival order: event time plus up to ten minutes of random delay (out of
   * order, within the 15-minute grace period); about one event in 30 is delivered twice.
   */
  private static List<CloudTrailEvent> generate(Random random) {
    List<CloudTrailEvent> events = new ArrayList<>();
    for (int burst = 0; burst < 40; burst++) {
      Instant start = T0.plusSeconds(random.nextInt(3 * 3600));
      int size = 1 + random.nextInt(25);
      long spread = 1 + random.nextInt(10 * 60);
      int kind = random.nextInt(5);
      String who = "p" + random.nextInt(4);
      for (int i = 0; i < size; i++) {
        events.add(event(kind, who, start.plusSeconds(random.nextLong(spread))));
      }
    }
    Map<CloudTrailEvent, Long> arrival = new HashMap<>();
    for (CloudTrailEvent event : events) {
      arrival.put(
          event, event.getEventTimeMillis().toEpochMilli() + random.nextLong(DISORDER.toMillis()));
    }
    List<CloudTrailEvent> ordered = new ArrayList<>(events);
    ordered.sort(Comparator.comparing(arrival::get));
    List<CloudTrailEvent> withDuplicates = new ArrayList<>();
    for (CloudTrailEvent event : ordered) {
      withDuplicates.add(event);
      if (random.nextInt(30) == 0) {
        withDuplicates.add(CloudTrailEvent.newBuilder(event).build());
      }
    }
    return withDuplicates;
  }

  private static CloudTrailEvent event(int kind, String who, Instant at) {
    String user = "arn:aws:iam::111122223333:user/" + who;
    return switch (kind) {
      case 0 -> // aws-root-account-usage, one alert per window
          ct("iam.amazonaws.com", "ListUsers", at)
              .identity("Root", "arn:aws:iam::111122223333:root")
              .build();
      case 1 -> // aws-unauthorized-api-calls: 10 denied calls of one principal in 5 min
          ct("ec2.amazonaws.com", "DescribeInstances", at)
              .identity("IAMUser", user)
              .error("AccessDenied", "denied")
              .build();
      case 2 -> // aws-console-brute-force: 5 failed logins from one address in 5 min
          ct("signin.amazonaws.com", "ConsoleLogin", at)
              .sourceIp("198.51.100." + who.substring(1))
              .identity("IAMUser", user)
              .error(null, "Failed authentication")
              .response("{\"ConsoleLogin\":\"Failure\"}")
              .build();
      case 3 -> // aws-iam-policy-change
          ct("iam.amazonaws.com", "PutUserPolicy", at).identity("IAMUser", user).build();
      default -> // matches no rule: background
          ct("ec2.amazonaws.com", "DescribeInstances", at).identity("IAMUser", user).build();
    };
  }

  private Map<String, Alert> runPipeline(
      long seed, List<CloudTrailEvent> arrivals, Map<String, String> expected) throws Exception {
    String prefix = "parity-" + seed + "-" + UUID.randomUUID().toString().substring(0, 8);
    VigilTopics topics =
        VigilTopics.create(
            Map.of(
                VigilTopics.CLOUDTRAIL, prefix + ".cloudtrail",
                VigilTopics.VPCFLOW, prefix + ".vpcflow",
                VigilTopics.ALERTS, prefix + ".alerts",
                VigilTopics.DLQ, prefix + ".dlq"),
            SerdeFactory.fromSettings(Map.of()));
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.cloudtrail().name(), 3, (short) 1),
                  new NewTopic(topics.vpcflow().name(), 3, (short) 1),
                  new NewTopic(topics.alerts().name(), 3, (short) 1),
                  // a source too: the decoders' gaps become alerts
                  new NewTopic(topics.dlq().name(), 3, (short) 1)))
          .all()
          .get();
    }
    Path stateDir = Files.createTempDirectory("vigil-parity-");
    Map<String, Alert> published = new HashMap<>();
    try (KafkaConsumer<String, Alert> alerts = alertConsumer(topics, prefix)) {
      alerts.subscribe(List.of(topics.alerts().name()));
      int half = arrivals.size() / 2;
      // First run: the first half of the stream; a clean stop; the second run gets the rest.
      try (KafkaStreams streams = start(topics, prefix, stateDir)) {
        produce(topics, arrivals.subList(0, half));
        drainUntil(alerts, published, p -> published.size() > 0, Duration.ofSeconds(60));
      }
      try (KafkaStreams streams = start(topics, prefix, stateDir)) {
        produce(topics, arrivals.subList(half, arrivals.size()));
        // Held-back updates go out once the matches stop (wall-clock punctuation): wait for the
        // final counts, up to a generous bound for a loaded machine.
        drainUntil(alerts, published, p -> summary(p).equals(expected), Duration.ofSeconds(240));
      }
    }
    return published;
  }

  private KafkaStreams start(VigilTopics topics, String prefix, Path stateDir) {
    StreamsBuilder builder = new StreamsBuilder();
    DetectionTopology.build(
        builder, topics, ENGINE, SETTINGS, Optional.empty(), new DetectionObserver() {});
    Properties props = new Properties();
    props.putAll(kafka.clientProperties());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "-detection");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.start();
    return streams;
  }

  private void produce(VigilTopics topics, List<CloudTrailEvent> events) throws Exception {
    Properties props = new Properties();
    props.putAll(kafka.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, CloudTrailEvent> producer =
        new KafkaProducer<>(
            props,
            topics.cloudtrail().keySerde().serializer(),
            topics.cloudtrail().valueSerde().serializer())) {
      for (CloudTrailEvent event : events) {
        // Keyed by event id, as the ingesters do: a duplicate lands on its original's partition.
        // One at a time, each acknowledged: an input lost under load would fail the comparison
        // for a reason that is not the pipeline's.
        producer
            .send(new ProducerRecord<>(topics.cloudtrail().name(), event.getEventID(), event))
            .get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  private KafkaConsumer<String, Alert> alertConsumer(VigilTopics topics, String prefix) {
    Properties props = new Properties();
    props.putAll(kafka.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(
        props,
        topics.alerts().keySerde().deserializer(),
        topics.alerts().valueSerde().deserializer());
  }

  /** Reads alert publications (the latest per dedup key) until {@code done} or the bound. */
  private static void drainUntil(
      KafkaConsumer<String, Alert> consumer,
      Map<String, Alert> published,
      java.util.function.Predicate<Map<String, Alert>> done,
      Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!done.test(published) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(500))) {
        published.put(record.key(), record.value());
      }
    }
  }
}
