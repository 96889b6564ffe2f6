package io.vigil.sinks.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.schemas.Aggregate;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertJson;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.Severity;
import io.vigil.schemas.TopEntry;
import io.vigil.sinks.AlertTopics;
import io.vigil.sinks.SinkDefinitions;
import io.vigil.sinks.SinksService;
import io.vigil.sinks.TestAlerts;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import io.vigil.testkit.S3ProxyEmulator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 archive on the in-process broker against S3Proxy, through the real AWS SDK. */
@ExtendWith(InProcessKafkaExtension.class)
class S3ArchiveSinkIT {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static S3ProxyEmulator s3proxy;
  private static S3Client s3;

  private final KafkaCluster kafka;

  S3ArchiveSinkIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeAll
  static void startEmulator() throws Exception {
    s3proxy = S3ProxyEmulator.start();
    // The sink takes credentials from the SDK's default chain; system properties are its first
    // link.
    System.setProperty("aws.accessKeyId", S3ProxyEmulator.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyEmulator.CREDENTIAL);
    s3 =
        S3Client.builder()
            .endpointOverride(s3proxy.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        S3ProxyEmulator.IDENTITY, S3ProxyEmulator.CREDENTIAL)))
            .build();
  }

  @AfterAll
  static void stopEmulator() {
    s3.close();
    s3proxy.close();
  }

  @Test
  void alertsAreArchivedAsGzipJsonLinesPerHourAndOffsetsCommittedAfterTheUpload() throws Exception {
    String bucket = "archive-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket));
    AlertTopics topics = new AlertTopics(kafka, 1);
    Alert early = TestAlerts.stopLogging(); // last_seen 2024-03-05T10:15:30Z
    Alert later =
        Alert.newBuilder(TestAlerts.numbered(2, "aws-iam-root-login", Severity.critical))
            .setLastSeen("2024-03-05T11:02:00Z")
            .build();
    Alert laterUpdate = Alert.newBuilder(later).setUpdate(1).setCount(5).build();
    String group = "it-" + UUID.randomUUID();
    List<io.vigil.sinks.SinkDefinition> defs =
        SinkDefinitions.parse(
            YAML.readTree(
                    """
                    sinks:
                      - type: s3
                        name: archive
                        bucket: %s
                        prefix: vigil/
                        region: us-east-1
                        endpoint: %s
                        path_style: true
                        max_file_age: 2s
                    """
                        .formatted(bucket, s3proxy.endpoint()))
                .get("sinks"),
            Map.of());

    try (SinksService service =
        SinksService.start(
            defs, kafka.clientProperties(), topics.topics(), group, new SimpleMeterRegistry())) {
      topics.publish(List.of(early, later, laterUpdate));

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (keys(bucket).size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      // The commit follows the upload: wait for it, then check it covers all three records.
      long committed = -1;
      while (committed < 3 && System.nanoTime() < deadline) {
        committed =
            committedOffset(
                SinksService.groupId(group, "archive"), topics.topics().alerts().name());
        Thread.sleep(100);
      }
      assertThat(committed).isEqualTo(3);
      assertThat(service.health().get("archive").ready()).isTrue();
    }

    List<String> keys = keys(bucket);
    assertThat(keys).hasSize(2);
    assertThat(keys)
        .anySatisfy(
            k ->
                assertThat(k)
                    .startsWith("vigil/kind=alerts/dt=2024-03-05/hour=10/")
                    .endsWith(".json.gz"));
    assertThat(keys)
        .anySatisfy(k -> assertThat(k).startsWith("vigil/kind=alerts/dt=2024-03-05/hour=11/"));
    List<String> lines = new ArrayList<>();
    for (String key : keys) {
      byte[] gz = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
      }
    }
    // The content round-trips: each line is exactly the alert JSON of one publication.
    assertThat(lines)
        .containsExactlyInAnyOrder(
            AlertJson.toJson(early), AlertJson.toJson(later), AlertJson.toJson(laterUpdate));
    JsonNode parsed = JSON.readTree(lines.get(0));
    assertThat(parsed.has("dedup_key")).isTrue();
  }

  @Test
  void nothingIsCommittedWhileTheUploadFails() throws Exception {
    AlertTopics topics = new AlertTopics(kafka, 1);
    String group = "it-" + UUID.randomUUID();
    // The bucket does not exist: every upload fails, the buffer is kept and nothing is committed.
    List<io.vigil.sinks.SinkDefinition> defs =
        SinkDefinitions.parse(
            YAML.readTree(
                    """
                    sinks:
                      - type: s3
                        name: archive
                        bucket: missing-%s
                        region: us-east-1
                        endpoint: %s
                        path_style: true
                        max_file_age: 1s
                        initial_backoff: 100ms
                        max_backoff: 200ms
                    """
                        .formatted(
                            UUID.randomUUID().toString().substring(0, 8), s3proxy.endpoint()))
                .get("sinks"),
            Map.of());
    try (SinksService service =
        SinksService.start(
            defs, kafka.clientProperties(), topics.topics(), group, new SimpleMeterRegistry())) {
      topics.publish(List.of(TestAlerts.stopLogging()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!service.health().get("archive").detail().contains("flush failed")
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(service.health().get("archive").detail()).contains("NoSuchBucket");
      assertThat(
              committedOffset(
                  SinksService.groupId(group, "archive"), topics.topics().alerts().name()))
          .isEqualTo(-1);
      assertThat(topics.deadLetters(1, Duration.ofSeconds(1))).isEmpty();
    }
  }

  @Test
  void aggregatesAreArchivedUnderTheirOwnKindByWindowStartAndBadRecordsGoToTheDlq()
      throws Exception {
    String bucket = "archive-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket));
    AlertTopics topics = new AlertTopics(kafka, 1);
    Aggregate bytes =
        Aggregate.newBuilder()
            .setName("vpcflow.bytes_by_srcaddr")
            .setDimensions(Map.of("srcaddr", "10.0.0.5"))
            .setWindowStart(Instant.parse("2024-03-05T23:59:00Z"))
            .setWindowEnd(Instant.parse("2024-03-06T00:00:00Z"))
            .setCount(12)
            .setSum(123_456_789L)
            .build();
    Aggregate events =
        Aggregate.newBuilder()
            .setName("cloudtrail.events_by_name")
            .setDimensions(Map.of())
            .setWindowStart(Instant.parse("2024-03-06T00:00:00Z"))
            .setWindowEnd(Instant.parse("2024-03-06T01:00:00Z"))
            .setCount(40)
            .setTop(List.of(new TopEntry("ConsoleLogin", 30L), new TopEntry("StopLogging", 10L)))
            .build();
    Alert alert = TestAlerts.stopLogging(); // last_seen 2024-03-05T10:15:30Z
    String group = "it-" + UUID.randomUUID();
    List<io.vigil.sinks.SinkDefinition> defs =
        SinkDefinitions.parse(
            YAML.readTree(
                    """
                    sinks:
                      - type: s3
                        name: archive
                        bucket: %s
                        prefix: vigil
                        region: us-east-1
                        endpoint: %s
                        path_style: true
                        max_file_age: 2s
                        kinds: [alerts, aggregates]
                    """
                        .formatted(bucket, s3proxy.endpoint()))
                .get("sinks"),
            Map.of());

    try (SinksService service =
        SinksService.start(
            defs, kafka.clientProperties(), topics.topics(), group, new SimpleMeterRegistry())) {
      topics.publishAggregates(List.of(bytes));
      topics.publishGarbage(
          topics.topics().aggregates().name(), "not an aggregate".getBytes(StandardCharsets.UTF_8));
      topics.publishAggregates(List.of(events));
      topics.publish(List.of(alert));

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (keys(bucket).size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      long committed = -1;
      String aggregatesGroup =
          SinksService.groupId(group, "archive" + SinksService.AGGREGATES_SUFFIX);
      while (committed < 3 && System.nanoTime() < deadline) {
        committed = committedOffset(aggregatesGroup, topics.topics().aggregates().name());
        Thread.sleep(100);
      }
      // All three records, the undecodable one included, are done once the uploads succeeded.
      assertThat(committed).isEqualTo(3);
      assertThat(service.health()).containsKeys("archive", "archive/aggregates");
      assertThat(service.health().get("archive/aggregates").ready()).isTrue();

      List<Rejected> dead = topics.deadLetters(1, Duration.ofSeconds(30));
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).getReason()).isEqualTo("sink_deserialization_failed");
      assertThat(dead.get(0).getSourceLocation())
          .isEqualTo(topics.topics().aggregates().name() + "/0@1");
      assertThat(dead.get(0).getComponent()).isEqualTo("sinks.archive/aggregates");
    }

    List<String> keys = keys(bucket);
    assertThat(keys).hasSize(3);
    assertThat(keys)
        .anySatisfy(k -> assertThat(k).startsWith("vigil/kind=alerts/dt=2024-03-05/hour=10/"));
    String before =
        keys.stream()
            .filter(k -> k.startsWith("vigil/kind=aggregates/dt=2024-03-05/hour=23/"))
            .findFirst()
            .orElseThrow();
    String after =
        keys.stream()
            .filter(k -> k.startsWith("vigil/kind=aggregates/dt=2024-03-06/hour=00/"))
            .findFirst()
            .orElseThrow();
    // The content round-trips: each line parses back to the aggregate that was published.
    JsonNode first = JSON.readTree(lines(bucket, before).get(0));
    assertThat(first.get("name").asText()).isEqualTo("vpcflow.bytes_by_srcaddr");
    assertThat(first.get("dimensions").get("srcaddr").asText()).isEqualTo("10.0.0.5");
    assertThat(Instant.parse(first.get("window_start").asText())).isEqualTo(bytes.getWindowStart());
    assertThat(first.get("sum").asLong()).isEqualTo(123_456_789L);
    List<String> second = lines(bucket, after);
    assertThat(second).hasSize(1);
    JsonNode top = JSON.readTree(second.get(0)).get("top");
    assertThat(top.get(0).get("key").asText()).isEqualTo("ConsoleLogin");
    assertThat(top.get(1).get("value").asLong()).isEqualTo(10L);
  }

  @Test
  void aggregatesAreNotArchivedUnlessAsked() throws Exception {
    List<io.vigil.sinks.SinkDefinition> defs =
        SinkDefinitions.parse(
            YAML.readTree(
                    """
                    sinks:
                      - type: s3
                        name: archive
                        bucket: some-bucket
                        region: us-east-1
                        endpoint: %s
                        path_style: true
                    """
                        .formatted(s3proxy.endpoint()))
                .get("sinks"),
            Map.of());
    AlertTopics topics = new AlertTopics(kafka, 1);
    try (SinksService service =
        SinksService.start(
            defs,
            kafka.clientProperties(),
            topics.topics(),
            "it-" + UUID.randomUUID(),
            new SimpleMeterRegistry())) {
      assertThat(service.health()).containsOnlyKeys("archive");
    }
  }

  private static List<String> lines(String bucket, String key) throws Exception {
    byte[] gz = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static List<String> keys(String bucket) {
    return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  private long committedOffset(String groupId, String topic) throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      ListConsumerGroupOffsetsResult result = admin.listConsumerGroupOffsets(groupId);
      var offsets = result.partitionsToOffsetAndMetadata().get();
      var offset = offsets.get(new org.apache.kafka.common.TopicPartition(topic, 0));
      return offset == null ? -1 : offset.offset();
    }
  }
}
