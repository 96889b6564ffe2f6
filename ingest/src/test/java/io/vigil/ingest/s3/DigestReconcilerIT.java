package io.vigil.ingest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.support.AwsEmulators;
import io.vigil.ingest.support.IngestTopics;
import io.vigil.ingest.support.SampleLogs;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * CloudTrail digests reconciled against what was ingested, with S3Proxy, ElasticMQ and the
 * in-process broker: a listed file that never came is reported once, after the grace period, with
 * whether it is still in its bucket; a file that comes within grace is no finding.
 */
@ExtendWith(InProcessKafkaExtension.class)
class DigestReconcilerIT {

  private static final String BUCKET = "vigil-logs";
  private static final String HOUR = "2026/12/05/";
  private static final Duration GRACE = Duration.ofHours(1);

  private static AwsEmulators aws;
  private static S3Client s3;
  private static SqsClient sqs;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T02:10:00Z"));
  private IngestTopics topics;
  private String queueUrl;
  private String prefix;

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
    queueUrl = sqs.createQueue(b -> b.queueName("digests-" + UUID.randomUUID())).queueUrl();
    // Each test its own trail prefix: the bucket is shared.
    prefix = "t" + UUID.randomUUID().toString().substring(0, 6) + "/AWSLogs/111122223333/";
  }

  @Test
  void filesListedAndNotIngestedAreReportedOnceAfterTheGraceWithWhetherTheyStillExist(
      KafkaCluster kafka) throws Exception {
    String announced = logFile("a");
    String neverAnnounced = logFile("b");
    String deleted = logFile("c");
    String announcedETag = put(announced, SampleLogs.cloudTrailLine("ev-a") + "\n");
    put(neverAnnounced, SampleLogs.cloudTrailLine("ev-b") + "\n");
    String digest = digestKey();
    String digestETag = put(digest, digest(announced, neverAnnounced, deleted));
    send(S3NotificationSourceIT.s3Event(announced, announcedETag));
    send(S3NotificationSourceIT.s3Event(digest, digestETag));

    try (TransactionalUnitPublisher publisher = publisher(kafka, "digests-a")) {
      DigestReconciler reconciler = reconciler(publisher, "digests-a");
      drain(source(publisher, reconciler));

      assertThat(reconciler.reconcile()).as("within grace: nothing yet").isZero();
      assertThat(meters.get("vigil.ingest.digest.files.waiting").gauge().value()).isEqualTo(2.0);

      clock.advance(GRACE.plusMinutes(1));
      assertThat(reconciler.reconcile()).isEqualTo(2);
      assertThat(reconciler.reconcile()).as("each file is reported once").isZero();
      assertThat(meters.get("vigil.ingest.digest.files.waiting").gauge().value()).isZero();
      Checkpoint closed = publisher.committed("s3://" + BUCKET + "/" + digest).orElseThrow();
      assertThat(closed.attributes())
          .containsEntry(DigestReconciler.STATE, DigestReconciler.CLOSED)
          .containsEntry(DigestReconciler.MISSING, "2");
    }

    List<Rejected> letters = topics.values(topics.topics().dlq());
    assertThat(letters).hasSize(2);
    assertThat(letters)
        .allSatisfy(
            letter -> {
              assertThat(letter.getReason()).isEqualTo("log_file_missing");
              assertThat(letter.getAttributes())
                  .containsEntry(DeadLetters.MISSING_LOG_FILE, "true")
                  .containsEntry(DeadLetters.DIGEST, "s3://" + BUCKET + "/" + digest)
                  .containsEntry(DeadLetters.DIGEST_END, "2026-12-05T02:00:00Z")
                  .containsEntry("account_id", "111122223333")
                  .containsEntry("region", "eu-west-1");
            });
    assertThat(letters)
        .extracting(
            l -> l.getSourceLocation() + " " + l.getAttributes().get(DeadLetters.OBJECT_STATE))
        .containsExactlyInAnyOrder(
            "s3://" + BUCKET + "/" + neverAnnounced + " present",
            "s3://" + BUCKET + "/" + deleted + " deleted");
    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(r -> r.key())
        .containsExactly("ev-a");
  }

  @Test
  void aFileThatArrivesWithinGraceClosesTheDigestAndARedeliveredDigestIsNotReadAgain(
      KafkaCluster kafka) throws Exception {
    String late = logFile("late");
    String digest = digestKey();
    String digestETag = put(digest, digest(late));
    send(S3NotificationSourceIT.s3Event(digest, digestETag));
    String lateETag = put(late, SampleLogs.cloudTrailLine("ev-late") + "\n");
    send(S3NotificationSourceIT.s3Event(late, lateETag));
    send(S3NotificationSourceIT.s3Event(digest, digestETag));

    try (TransactionalUnitPublisher publisher = publisher(kafka, "digests-b")) {
      DigestReconciler reconciler = reconciler(publisher, "digests-b");
      drain(source(publisher, reconciler));

      assertThat(reconciler.reconcile()).isZero();
      assertThat(publisher.committed("s3://" + BUCKET + "/" + digest).orElseThrow().attributes())
          .containsEntry(DigestReconciler.STATE, DigestReconciler.CLOSED)
          .containsEntry(DigestReconciler.MISSING, "0");
      clock.advance(GRACE.multipliedBy(3));
      assertThat(reconciler.reconcile()).isZero();
    }

    assertThat(topics.values(topics.topics().dlq())).isEmpty();
    assertThat(
            topics.values(topics.topics().checkpoints()).stream()
                .filter(c -> c.getKey().equals("s3://" + BUCKET + "/" + digest))
                .count())
        .as("the digest's list, then its closing; the redelivery committed nothing")
        .isEqualTo(2);
  }

  @Test
  void anotherInstancesOpenDigestIsTakenOverOnlyAGracePeriodAfterItWasDue(KafkaCluster kafka)
      throws Exception {
    String lost = logFile("lost");
    String digest = digestKey();
    String digestETag = put(digest, digest(lost));
    send(S3NotificationSourceIT.s3Event(digest, digestETag));

    try (TransactionalUnitPublisher first = publisher(kafka, "digests-first")) {
      // The first instance reads the digest, then is gone before its grace is over.
      drain(source(first, reconciler(first, "digests-first")));
    }
    try (TransactionalUnitPublisher second = publisher(kafka, "digests-second")) {
      DigestReconciler reconciler = reconciler(second, "digests-second");
      clock.advance(GRACE.plusMinutes(1));
      assertThat(reconciler.reconcile()).as("the first one's to report, for now").isZero();
      clock.advance(GRACE);
      assertThat(reconciler.reconcile()).isEqualTo(1);
    }
    assertThat(topics.values(topics.topics().dlq()))
        .extracting(Rejected::getSourceLocation)
        .containsExactly("s3://" + BUCKET + "/" + lost);
  }

  @Test
  void aDigestThatIsNotOneIsADeadLetterAtItsLocation(KafkaCluster kafka) throws Exception {
    String digest = digestKey();
    String eTag = put(digest, gzip("{\"awsAccountId\":\"111122223333\",\"logFiles\":["));
    send(S3NotificationSourceIT.s3Event(digest, eTag));

    try (TransactionalUnitPublisher publisher = publisher(kafka, "digests-c")) {
      DigestReconciler reconciler = reconciler(publisher, "digests-c");
      drain(source(publisher, reconciler));
      assertThat(reconciler.reconcile()).isZero();
    }

    assertThat(topics.values(topics.topics().dlq()))
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.getReason()).isEqualTo("digest_malformed");
              assertThat(letter.getSourceLocation()).isEqualTo("s3://" + BUCKET + "/" + digest);
              assertThat(letter.getMessage()).contains("not JSON");
            });
  }

  private String logFile(String name) {
    return prefix
        + "CloudTrail/eu-west-1/"
        + HOUR
        + "111122223333_CloudTrail_eu-west-1_20261205T0105Z_"
        + name
        + ".json";
  }

  private String digestKey() {
    return prefix
        + "CloudTrail-Digest/eu-west-1/"
        + HOUR
        + "111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20261205T020000Z.json.gz";
  }

  /** A digest file as CloudTrail delivers it (gzip), listing {@code files} of the bucket. */
  private static byte[] digest(String... files) throws IOException {
    StringBuilder json =
        new StringBuilder(
            "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2026-12-05T01:00:00Z\","
                + "\"digestEndTime\":\"2026-12-05T02:00:00Z\",\"digestS3Bucket\":\""
                + BUCKET
                + "\",\"logFiles\":[");
    for (int i = 0; i < files.length; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"s3Bucket\":\"")
          .append(BUCKET)
          .append("\",\"s3Object\":\"")
          .append(files[i])
          .append("\",\"hashValue\":\"00\",\"hashAlgorithm\":\"SHA-256\"}");
    }
    return gzip(json.append("]}").toString());
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private DigestReconciler reconciler(TransactionalUnitPublisher publisher, String owner) {
    return new DigestReconciler(s3, publisher, List.of(), GRACE, owner, meters, clock);
  }

  private S3NotificationSource source(
      TransactionalUnitPublisher publisher, DigestReconciler reconciler) {
    return new S3NotificationSource(
        sqs,
        s3,
        new AwsLogDecoder(),
        publisher,
        S3NotificationSettings.forQueue(queueUrl, List.of()).withWaitTime(Duration.ofSeconds(1)),
        reconciler);
  }

  private TransactionalUnitPublisher publisher(KafkaCluster kafka, String id) {
    return TransactionalUnitPublisher.start(
        kafka.clientProperties(), id + "-" + queueUrl.hashCode(), topics.topics(), meters);
  }

  private static void drain(S3NotificationSource source) {
    try (source) {
      while (source.pollOnce() > 0) {
        // keep going
      }
    }
  }

  private static String put(String key, String content) {
    return put(key, content.getBytes(StandardCharsets.UTF_8));
  }

  private static String put(String key, byte[] content) {
    return S3ObjectRef.bareETag(
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content)).eTag());
  }

  private void send(String body) {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
  }

  /** A clock the test moves on: the grace period passes without waiting. */
  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
