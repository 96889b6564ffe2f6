package io.vigil.ingest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.IngestMetrics;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.PublishResult;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.publish.UnitBody;
import io.vigil.ingest.publish.UnitPublisher;
import io.vigil.ingest.support.AwsEmulators;
import io.vigil.ingest.support.IngestTopics;
import io.vigil.ingest.support.SampleLogs;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SourceType;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** S3 objects announced on SQS, through S3Proxy and ElasticMQ, into the in-process broker. */
@ExtendWith(InProcessKafkaExtension.class)
class S3NotificationSourceIT {

  private static final String BUCKET = "vigil-logs";
  private static final String CT_KEY =
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail_us-east-1_20261102T1000Z_a"
          + " b.json";
  private static final String FLOW_KEY =
      "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/02/111122223333_vpcflowlogs_us-east-1_fl-1_"
          + "20261102T1000Z_x.log";
  private static final String FLOW_LOG =
      "version account-id interface-id srcaddr dstaddr end log-status\n"
          + "2 111122223333 eni-1 10.0.0.5 198.51.100.7 1793613600 OK\n"
          + "2 111122223333 eni-2 - - 1793613600 NODATA\n";

  private static AwsEmulators aws;
  private static S3Client s3;
  private static SqsClient sqs;

  private final LogDecoder decoder = new AwsLogDecoder();
  private IngestTopics topics;
  private String queueUrl;

  @BeforeAll
  static void startEmulators() throws Exception {
    aws = AwsEmulators.start(BUCKET);
    s3 = aws.s3();
    sqs = aws.sqs();
  }

  @AfterAll
  static void stopEmulators() {
    if (aws != null) {
      aws.close();
    }
  }

  @BeforeEach
  void newQueueAndTopics(KafkaCluster kafka) throws Exception {
    topics = IngestTopics.create(kafka);
    queueUrl = sqs.createQueue(b -> b.queueName("notifications-" + UUID.randomUUID())).queueUrl();
  }

  @Test
  void cloudTrailAndFlowLogObjectsArriveOnceEachAndTheirMessagesAreDeleted(KafkaCluster kafka)
      throws Exception {
    String ctETag =
        put(
            CT_KEY,
            SampleLogs.cloudTrailLine("ev-1") + "\n" + SampleLogs.cloudTrailLine("ev-2") + "\n");
    String flowETag = put(FLOW_KEY, FLOW_LOG);
    send(s3Event(CT_KEY, ctETag));
    send(snsEnvelope(s3Event(FLOW_KEY, flowETag)));
    send(
        "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-02T10:00:00Z\","
            + "\"Bucket\":\""
            + BUCKET
            + "\",\"RequestId\":\"r\",\"HostId\":\"h\"}");

    try (var publisher = publisher(kafka, "s3-happy")) {
      drain(source(publisher));
    }

    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("ev-1", "ev-2");
    assertThat(topics.readCommitted(topics.topics().vpcflow()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("10.0.0.5", "eni-2");
    assertThat(topics.values(topics.topics().checkpoints()))
        .extracting(c -> c.getKey() + "@" + c.getVersion())
        .containsExactlyInAnyOrder(
            "s3://" + BUCKET + "/" + CT_KEY + "@" + ctETag,
            "s3://" + BUCKET + "/" + FLOW_KEY + "@" + flowETag);
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void cloudTrailsOwnSnsNotificationNamesItsObjectsAndDigestsAreSkipped(KafkaCluster kafka)
      throws Exception {
    String second = CT_KEY.replace("a b.json", "c.json");
    String digest = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/d.json";
    put(CT_KEY, SampleLogs.cloudTrailLine("ev-1") + "\n");
    put(second, SampleLogs.cloudTrailLine("ev-2") + "\n");
    put(digest, "{\"digestPublicKeyFingerprint\":\"x\"}");
    send(
        snsEnvelope(
            "{\"s3Bucket\":\""
                + BUCKET
                + "\",\"s3ObjectKey\":[\""
                + CT_KEY
                + "\",\""
                + second
                + "\",\""
                + digest
                + "\"]}"));

    try (var publisher = publisher(kafka, "s3-cloudtrail-sns")) {
      drain(source(publisher));
    }

    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("ev-1", "ev-2");
    assertThat(topics.values(topics.topics().dlq())).isEmpty();
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void theSameNotificationTwicePublishesOnce(KafkaCluster kafka) throws Exception {
    String eTag = put(CT_KEY, SampleLogs.cloudTrailLine("ev-1") + "\n");
    send(s3Event(CT_KEY, eTag));
    send(s3Event(CT_KEY, eTag));

    try (var publisher = publisher(kafka, "s3-twice")) {
      drain(source(publisher));
    }

    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactly("ev-1");
    assertThat(messagesLeft()).isZero();
  }

  /**
   * The ingester dies after Kafka committed the object and before the SQS delete. Simulated by a
   * publisher that commits for real and then throws, as a killed process would never return: the
   * source does not delete the message. A restarted ingester (a new publisher with the same
   * transactional.id, knowing only what the checkpoint topic says) receives the message again once
   * its visibility timeout ran out, finds the checkpoint with the same ETag and deletes it.
   */
  @Test
  void anIngesterKilledBetweenTheCommitAndTheDeletePublishesOnceAfterItsRestart(KafkaCluster kafka)
      throws Exception {
    String eTag =
        put(
            CT_KEY,
            SampleLogs.cloudTrailLine("ev-1") + "\n" + SampleLogs.cloudTrailLine("ev-2") + "\n");
    send(s3Event(CT_KEY, eTag));
    S3NotificationSettings shortVisibility =
        settings().withVisibilityTimeout(Duration.ofSeconds(2));

    try (var publisher = publisher(kafka, "s3-killed");
        var dyingAfterCommit = new DiesAfterCommit(publisher);
        var source =
            new S3NotificationSource(sqs, s3, decoder, dyingAfterCommit, shortVisibility)) {
      assertThatThrownBy(source::pollOnce).hasMessageContaining("killed");
    }
    assertThat(topics.readCommitted(topics.topics().cloudtrail())).hasSize(2);
    assertThat(messagesLeft()).isEqualTo(1);

    try (var restarted = publisher(kafka, "s3-killed");
        var source = new S3NotificationSource(sqs, s3, decoder, restarted, shortVisibility)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (messagesLeft() > 0 && System.nanoTime() < deadline) {
        source.pollOnce();
      }
    }
    assertThat(messagesLeft()).isZero();
    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("ev-1", "ev-2");
  }

  @Test
  void aMessageWhoseObjectTakesLongerThanTheVisibilityTimeoutStaysHiddenFromOtherIngesters(
      KafkaCluster kafka) throws Exception {
    String eTag = put(CT_KEY, SampleLogs.cloudTrailLine("ev-slow") + "\n");
    send(s3Event(CT_KEY, eTag));
    // Kafka slower than the 2 s visibility timeout: without renewal, SQS would hand the message to
    // another ingester after 2 s and the object would be read twice.
    try (var publisher = publisher(kafka, "s3-slow");
        S3NotificationSource source =
            new S3NotificationSource(
                sqs,
                s3,
                decoder,
                new SlowPublisher(publisher, Duration.ofSeconds(7)),
                settings().withVisibilityTimeout(Duration.ofSeconds(2)))) {
      var handled = java.util.concurrent.CompletableFuture.supplyAsync(source::pollOnce);
      // Wait until the source holds the message (it is then in flight, not visible).
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (visibleMessages() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      List<String> seenByAnother = new java.util.ArrayList<>();
      while (!handled.isDone()) {
        sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1).visibilityTimeout(0))
            .messages()
            .forEach(m -> seenByAnother.add(m.messageId()));
      }

      assertThat(handled.get()).isEqualTo(1);
      assertThat(seenByAnother).as("another ingester received the message in flight").isEmpty();
    }
    assertThat(messagesLeft()).isZero();
    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactly("ev-slow");
  }

  @Test
  void aMalformedMessageGoesToTheDlqAndIsDeleted(KafkaCluster kafka) throws Exception {
    send("this is not a notification");
    send("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{}}]}");

    try (var publisher = publisher(kafka, "s3-malformed")) {
      drain(source(publisher));
    }

    List<Rejected> rejected = topics.values(topics.topics().dlq());
    assertThat(rejected)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.getSourceType()).isEqualTo(SourceType.sqs);
              assertThat(r.getSourceLocation()).startsWith("sqs://notifications-");
            });
    assertThat(rejected)
        .extracting(Rejected::getReason)
        .containsExactlyInAnyOrder("sqs_message_not_json", "sqs_message_unknown");
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void malformedObjectsAmongGoodOnesGiveOneDlqRecordEachAndTheGoodRecordsGoThrough(
      KafkaCluster kafka) throws Exception {
    String good = CT_KEY.replace("a b.json", "good.json");
    String truncatedJson = CT_KEY.replace("a b.json", "truncated.json");
    String truncatedGzip = CT_KEY.replace("a b.json", "truncated-gzip.json");
    byte[] gzip = SampleLogs.cloudTrailRecordsGzip("ev-lost");
    send(s3Event(good, put(good, SampleLogs.cloudTrailRecordsGzip("ev-1", "ev-2"))));
    send(
        s3Event(
            truncatedJson,
            put(
                truncatedJson,
                "{\"Records\": [ {\"eventID\": "
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    send(s3Event(truncatedGzip, put(truncatedGzip, java.util.Arrays.copyOf(gzip, 15))));

    try (var publisher = publisher(kafka, "s3-malformed-objects")) {
      drain(source(publisher));
    }

    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("ev-1", "ev-2");
    List<Rejected> rejected = topics.values(topics.topics().dlq());
    assertThat(rejected)
        .extracting(Rejected::getSourceLocation)
        .satisfiesExactlyInAnyOrder(
            l -> assertThat(l).startsWith("s3://" + BUCKET + "/" + truncatedJson),
            l -> assertThat(l).startsWith("s3://" + BUCKET + "/" + truncatedGzip));
    assertThat(rejected).allSatisfy(r -> assertThat(r.getSourceType()).isEqualTo(SourceType.s3));
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void aNotificationForAnObjectThatDoesNotExistIsOneDeadLetterCountedAndDeleted(KafkaCluster kafka)
      throws Exception {
    String never = CT_KEY.replace("a b.json", "never-uploaded.json");
    String good = CT_KEY.replace("a b.json", "good.json");
    send(s3Event(never, "0123456789abcdef0123456789abcdef"));
    send(s3Event(good, put(good, SampleLogs.cloudTrailLine("ev-1") + "\n")));
    // The same notification again (S3 delivers at least once): recorded once.
    send(s3Event(never, "0123456789abcdef0123456789abcdef"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    try (var publisher =
        TransactionalUnitPublisher.start(
            kafka.clientProperties(),
            "s3-missing-" + queueUrl.hashCode(),
            topics.topics(),
            meters)) {
      drain(source(publisher));
    }

    assertThat(topics.values(topics.topics().dlq(), 1))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getReason()).isEqualTo("object-missing");
              assertThat(r.getSourceType()).isEqualTo(SourceType.s3);
              assertThat(r.getSourceLocation()).isEqualTo("s3://" + BUCKET + "/" + never);
              assertThat(r.getComponent()).isEqualTo("ingest.s3-notifications");
              assertThat(r.getMessage()).contains("no longer exists");
              assertThat(r.getAttributes())
                  .containsEntry("etag", "0123456789abcdef0123456789abcdef");
            });
    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactly("ev-1");
    assertThat(
            meters
                .get(IngestMetrics.REJECTS)
                .tags("source", "s3", "reason", "object-missing")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void keysNoFilterMatchesAreAcknowledgedWithoutReading(KafkaCluster kafka) throws Exception {
    String other = "elb/111122223333/access.log";
    String eTag = put(other, SampleLogs.cloudTrailLine("ev-elb") + "\n");
    send(s3Event(other, eTag));

    try (var publisher = publisher(kafka, "s3-filter")) {
      drain(new S3NotificationSource(sqs, s3, decoder, publisher, settings()));
    }

    assertThat(topics.readCommitted(topics.topics().cloudtrail())).isEmpty();
    assertThat(messagesLeft()).isZero();
  }

  private TransactionalUnitPublisher publisher(KafkaCluster kafka, String id) {
    return TransactionalUnitPublisher.start(
        kafka.clientProperties(),
        id + "-" + queueUrl.hashCode(),
        topics.topics(),
        new SimpleMeterRegistry());
  }

  private S3NotificationSource source(UnitPublisher publisher) {
    return new S3NotificationSource(sqs, s3, decoder, publisher, settings());
  }

  private S3NotificationSettings settings() {
    return S3NotificationSettings.forQueue(
            queueUrl,
            List.of(
                new S3KeyFilter("cloudtrail", "AWSLogs/", ".json"),
                new S3KeyFilter("vpcflow", "AWSLogs/", ".log")))
        .withWaitTime(Duration.ofSeconds(1));
  }

  /** Polls until a poll returns nothing, then closes the source. */
  private static void drain(S3NotificationSource source) {
    try (source) {
      while (source.pollOnce() > 0) {
        // keep going
      }
    }
  }

  private static String put(String key, String content) {
    return put(key, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String put(String key, byte[] content) {
    return S3ObjectRef.bareETag(
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content)).eTag());
  }

  private void send(String body) {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
  }

  private int messagesLeft() {
    Map<QueueAttributeName, String> attributes =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** An S3 event notification as S3 writes it: the key URL-encoded, a space as '+'. */
  static String s3Event(String key, String eTag) {
    String encoded =
        java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
            .replace("%2F", "/");
    return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
        + "\"awsRegion\":\"us-east-1\",\"eventTime\":\"2026-11-02T10:05:00.000Z\","
        + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"s3SchemaVersion\":\"1.0\","
        + "\"bucket\":{\"name\":\""
        + BUCKET
        + "\",\"arn\":\"arn:aws:s3:::"
        + BUCKET
        + "\"},"
        + "\"object\":{\"key\":\""
        + encoded
        + "\",\"size\":100,\"eTag\":\""
        + eTag
        + "\","
        + "\"sequencer\":\"0055AED6DCD90281E5\"}}}]}";
  }

  static String snsEnvelope(String message) {
    return "{\"Type\":\"Notification\",\"MessageId\":\"m-1\",\"TopicArn\":\"arn:aws:sns:us-east-1:111122223333:logs\","
               + "\"Message\":"
        + new com.fasterxml.jackson.databind.node.TextNode(message)
        + ","
        + "\"Timestamp\":\"2026-11-02T10:05:00.000Z\",\"SignatureVersion\":\"1\"}";
  }

  private int visibleMessages() {
    return Integer.parseInt(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  /** Commits for real after a delay, as a slow or distant Kafka cluster would. */
  private static final class SlowPublisher implements UnitPublisher {
    private final UnitPublisher real;
    private final Duration delay;

    SlowPublisher(UnitPublisher real, Duration delay) {
      this.real = real;
      this.delay = delay;
    }

    @Override
    public Optional<Checkpoint> committed(String key) {
      return real.committed(key);
    }

    @Override
    public PublishResult publish(Checkpoint checkpoint, UnitBody body) throws PublishException {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return real.publish(checkpoint, body);
    }

    @Override
    public void close() {
      // the real publisher is closed by its owner
    }
  }

  /** Commits for real, then fails as a process killed before it could go on would. */
  private static final class DiesAfterCommit implements UnitPublisher {
    private final UnitPublisher real;

    DiesAfterCommit(UnitPublisher real) {
      this.real = real;
    }

    @Override
    public Optional<Checkpoint> committed(String key) {
      return real.committed(key);
    }

    @Override
    public PublishResult publish(Checkpoint checkpoint, UnitBody body) throws PublishException {
      real.publish(checkpoint, body);
      throw new IllegalStateException("killed between the Kafka commit and the SQS delete");
    }

    @Override
    public void close() {
      // the real publisher is closed by its owner
    }
  }
}
