package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.ComponentKind;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.StreamsComponent;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.app.scan.OfflineScan;
import io.vigil.ingest.kinesis.KinesisLocal;
import io.vigil.schemas.Alert;
import io.vigil.schemas.IngestCheckpoint;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.EmbeddedBrokerLogin;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Two {@code vigil run} instances on one cluster (the first one's broker, four partitions) share
 * the detection, and either one's API answers for the whole cluster: every alert, whichever
 * instance raised it, its triage made on the other instance, the posture and the incidents (global
 * views), the aggregates and the events behind an alert (each instance asks the other for its
 * partitions). Both read one Kinesis stream too, each the shards it leases: half of the files
 * arrive through the first one's inbox, half as CloudWatch Logs records on the stream.
 */
class ClusterViewIT {

  @RegisterExtension static final KinesisLocal KINESIS = new KinesisLocal();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path first;
  @TempDir Path second;

  @Test
  void eitherInstanceAnswersForEveryAlertAndResourceOfTheCluster() throws Exception {
    List<Path> files = OfflineScan.files(List.of(TestData.path("stratus_red_team/docs")));
    files.removeIf(p -> !p.toString().endsWith(".json"));
    String stream = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
    KINESIS.createStream(stream, 4);
    VigilConfig firstConfig = config(first, stream, "a", Map.of("kafka.embedded.port", "0"));
    Set<String> expected = threatKeys(ScanOf.alerts(firstConfig, files));
    assertThat(expected).as("the corpus raises alerts").hasSizeGreaterThan(10);
    S3ProxyAccess.withCredentials(
        () -> {
          try {
            bothInstances(files, stream, firstConfig, expected);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return 0;
        });
  }

  private void bothInstances(
      List<Path> files, String stream, VigilConfig firstConfig, Set<String> expected)
      throws Exception {
    try (VigilRuntime a = VigilRuntime.start(firstConfig, PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(a.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      Map<String, String> external = new HashMap<>();
      EmbeddedBrokerLogin.clientProperties(first)
          .forEach((key, value) -> external.put("kafka." + key, String.valueOf(value)));
      try (VigilRuntime b =
          VigilRuntime.start(config(second, stream, "b", external), PipelineComponents.all())) {
        assertThat(HttpProbe.awaitReady(b.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
        awaitBothDetecting(a, b);
        String leaseGroup = "vigil.ingest.checkpoints-kinesis-leases." + stream;
        awaitMembers(leaseGroup, 2);
        int n = 0;
        for (Path file : files) {
          if (n % 2 == 0) {
            Path staged = first.resolve("staged-" + n);
            Files.copy(file, staged);
            Files.move(staged, first.resolve("inbox").resolve(n + "-" + file.getFileName()));
          } else {
            SdkBytes data = SdkBytes.fromByteArray(CloudWatchLogsRecords.of(file));
            String key = "pk-" + n;
            KINESIS.client().putRecord(r -> r.streamName(stream).partitionKey(key).data(data));
          }
          n++;
        }

        awaitKeys(a, expected);
        awaitKeys(b, expected);
        assertThat(kinesisPublishers(stream))
            .as("each instance read shards of the stream")
            .containsExactlyInAnyOrder("vigil-ingest-a-kinesis", "vigil-ingest-b-kinesis");

        // An alert triaged on one instance shows its state on the other.
        JsonNode alert = alerts(b).get(0);
        String id = alert.get("alert_id").asText();
        HttpResponse<String> ack =
            send(b, "POST", "/api/alerts/" + id + "/status", "{\"status\":\"acknowledged\"}");
        assertThat(ack.statusCode()).isEqualTo(200);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seenOnA = "";
        while (System.nanoTime() < end && !seenOnA.equals("acknowledged")) {
          HttpResponse<String> got = send(a, "GET", "/api/alerts/" + id, null);
          seenOnA = got.statusCode() == 200 ? JSON.readTree(got.body()).get("status").asText() : "";
          Thread.sleep(200);
        }
        assertThat(seenOnA).isEqualTo("acknowledged");

        JsonNode postureA = JSON.readTree(send(a, "GET", "/api/posture", null).body());
        JsonNode postureB = JSON.readTree(send(b, "GET", "/api/posture", null).body());
        assertThat(postureA.get("resources")).isNotEmpty();
        assertThat(arns(postureB)).isEqualTo(arns(postureA));
        JsonNode incidentsA = JSON.readTree(send(a, "GET", "/api/incidents", null).body());
        JsonNode incidentsB = JSON.readTree(send(b, "GET", "/api/incidents", null).body());
        assertThat(incidentsB.get("incidents").size())
            .isEqualTo(incidentsA.get("incidents").size())
            .isPositive();

        // Aggregates and the events behind an alert live in partitioned stores: each instance
        // asks the other for its part.
        String aggregates =
            "/api/aggregates?window=1h&from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z"
                + "&limit=10000";
        Set<String> mergedA = aggregates(send(a, "GET", aggregates, null));
        Set<String> localA = aggregates(send(a, "GET", aggregates + "&scope=local", null));
        Set<String> localB = aggregates(send(b, "GET", aggregates + "&scope=local", null));
        assertThat(localA).as("a holds part of the aggregates").isNotEmpty();
        assertThat(localB).as("b holds the rest").isNotEmpty();
        Set<String> union = new TreeSet<>(localA);
        union.addAll(localB);
        assertThat(mergedA).isEqualTo(union);
        assertThat(aggregates(send(b, "GET", aggregates, null))).isEqualTo(union);

        String events = "/api/alerts/" + id + "/events";
        Set<String> eventsA = lines(send(a, "GET", events, null));
        assertThat(eventsA).isNotEmpty();
        Set<String> eventsHeld =
            new TreeSet<>(lines(send(a, "GET", events + "?scope=local", null)));
        eventsHeld.addAll(lines(send(b, "GET", events + "?scope=local", null)));
        assertThat(eventsA).as("both instances' events of the alert").isEqualTo(eventsHeld);
        assertThat(lines(send(b, "GET", events, null))).isEqualTo(eventsA);
      }
    }
  }

  private static Set<String> threatKeys(Map<String, Alert> alerts) {
    Set<String> keys = new TreeSet<>();
    alerts.forEach(
        (key, alert) -> {
          if (!"posture".equals(String.valueOf(alert.getSource()))) {
            keys.add(key);
          }
        });
    return keys;
  }

  // Both instances' detection holds partitions: the work is shared, so each one's alerts come
  // partly from the other.
  private static void awaitBothDetecting(VigilRuntime a, VigilRuntime b) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < end) {
      if (activeTasks(a) > 0 && activeTasks(b) > 0) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the detection was not shared: " + activeTasks(a) + " and " + activeTasks(b) + " tasks");
  }

  private static long activeTasks(VigilRuntime runtime) {
    return runtime.components().stream()
        .filter(c -> c instanceof StreamsComponent s && s.kind() == ComponentKind.DETECTION)
        .map(c -> ((StreamsComponent) c).streams())
        .flatMap(s -> s.metadataForLocalThreads().stream())
        .mapToLong(t -> t.activeTasks().size())
        .sum();
  }

  private static void awaitKeys(VigilRuntime runtime, Set<String> expected) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    Set<String> keys = Set.of();
    while (System.nanoTime() < end) {
      keys = new TreeSet<>();
      for (JsonNode alert : alerts(runtime)) {
        if (!alert.get("source").asText().equals("posture")) {
          keys.add(alert.get("dedup_key").asText());
        }
      }
      if (keys.equals(expected)) {
        return;
      }
      Thread.sleep(500);
    }
    assertThat(keys)
        .as("threat alerts listed by the instance on " + runtime.httpPort())
        .isEqualTo(expected);
  }

  private static JsonNode alerts(VigilRuntime runtime) throws Exception {
    HttpResponse<String> response = send(runtime, "GET", "/api/alerts?limit=10000", null);
    return response.statusCode() == 200
        ? JSON.readTree(response.body()).get("alerts")
        : JSON.createArrayNode();
  }

  private static Set<String> aggregates(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.has("partial")).as(response.body()).isFalse();
    Set<String> items = new TreeSet<>();
    body.get("aggregates")
        .forEach(
            item ->
                items.add(
                    item.get("name").asText()
                        + " "
                        + item.get("dimensions")
                        + " "
                        + item.get("window_start").asText()
                        + " "
                        + item.get("count").asLong()));
    return items;
  }

  private static Set<String> lines(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new TreeSet<>(response.body().lines().toList());
  }

  private static Set<String> arns(JsonNode posture) {
    Set<String> arns = new TreeSet<>();
    posture.get("resources").forEach(r -> arns.add(r.get("arn").asText()));
    return arns;
  }

  private static HttpResponse<String> send(
      VigilRuntime runtime, String method, String path, String body) throws Exception {
    return HttpProbe.send(runtime.httpPort(), method, path, body, null);
  }

  private void awaitMembers(String group, int members) throws Exception {
    try (Admin admin = Admin.create(EmbeddedBrokerLogin.clientProperties(first))) {
      long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      int seen = 0;
      while (System.nanoTime() < end) {
        ConsumerGroupDescription description =
            admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        seen = description.members().size();
        if (seen == members && description.state() == ConsumerGroupState.STABLE) {
          return;
        }
        Thread.sleep(250);
      }
      throw new AssertionError(group + " has " + seen + " members, not " + members);
    }
  }

  /** Who committed checkpoints of the stream's shards. */
  private Set<String> kinesisPublishers(String stream) {
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    Map<String, Object> properties = new HashMap<>(EmbeddedBrokerLogin.clientProperties(first));
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Set<String> publishers = new TreeSet<>();
    try (KafkaConsumer<String, IngestCheckpoint> consumer =
        new KafkaConsumer<>(
            properties,
            new StringDeserializer(),
            topics.checkpoints().valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.checkpoints().name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, IngestCheckpoint> record :
            consumer.poll(Duration.ofMillis(200))) {
          if (record.key().startsWith("kinesis://" + stream + "/")) {
            publishers.add(record.value().getPublisher());
          }
        }
      }
    }
    return publishers;
  }

  private static VigilConfig config(
      Path dataDir, String stream, String instance, Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.put("ingest.kinesis.stream", stream);
    settings.put("aws.region", KinesisLocal.REGION);
    settings.put("aws.kinesis.endpoint", KINESIS.endpoint().toString());
    // Each ingesting instance has its own transactional ids.
    settings.put("ingest.transactional.id", "vigil-ingest-" + instance);
    settings.put("data.dir", dataDir.toString());
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("topics.partitions", "4");
    // The detonations span four months (2024-07-30 to 2024-11-30): all of their events are kept.
    settings.put("events.retention", "200d");
    // Held-back updates go out after 5 s instead of a minute: the final alerts come sooner.
    settings.put("alerts.update.interval", "5s");
    return VigilConfig.load(Optional.empty(), Map.of(), settings);
  }
}
