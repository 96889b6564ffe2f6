package io.vigil.ingest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.publish.IngestMetrics;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.support.IngestTopics;
import io.vigil.ingest.support.S3ProxyServer;
import io.vigil.ingest.support.SampleLogs;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(InProcessKafkaExtension.class)
class S3BackfillIT {

  private static final LocalDate JAN_15 = LocalDate.of(2024, 1, 15);

  private static S3ProxyServer s3proxy;
  private static S3Client s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3proxy = S3ProxyServer.start();
    s3 = s3proxy.clientSettings().s3();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
  }

  @Test
  void aBackfillOfADateRangeStoppedPartWayAndResumedPublishesEveryObjectOnce(KafkaCluster kafka)
      throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    String bucket = "backfill-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket));
    String trail = "AWSLogs/111122223333/CloudTrail/us-east-1/";
    String orgTrail = "AWSLogs/o-abc123def4/444455556666/CloudTrail/eu-west-1/";
    String flows = "AWSLogs/111122223333/vpcflowlogs/us-east-1/";
    put(bucket, trail + "2026/10/31/a.json.gz", SampleLogs.cloudTrailRecordsGzip("before-range"));
    put(bucket, trail + "2026/11/01/a.json.gz", SampleLogs.cloudTrailRecordsGzip("n1-a", "n1-b"));
    put(bucket, orgTrail + "2026/11/01/b.json.gz", SampleLogs.cloudTrailRecordsGzip("n1-org"));
    put(bucket, trail + "2026/11/02/a.json.gz", SampleLogs.cloudTrailRecordsGzip("n2-a"));
    put(bucket, orgTrail + "2026/11/02/b.json.gz", SampleLogs.cloudTrailRecordsGzip("n2-org"));
    put(
        bucket,
        "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/d.json.gz",
        SampleLogs.gzip("{\"awsAccountId\":\"111122223333\"}"));
    put(
        bucket,
        flows + "2026/11/02/f.log.gz",
        SampleLogs.gzip(
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
                + " start end action log-status\n"
                + "2 111122223333 eni-1 10.0.0.5 198.51.100.7 443 50000 6 10 840 1793613540"
                + " 1793613600 ACCEPT OK\n"));
    put(bucket, trail + "2026/11/03/a.json.gz", SampleLogs.cloudTrailRecordsGzip("after-range"));
    S3Backfill.Request request =
        S3Backfill.Request.of(
            "s3://" + bucket + "/AWSLogs/",
            LocalDate.parse("2026-11-01"),
            LocalDate.parse("2026-11-02"));

    S3Backfill.Summary first;
    try (var publisher =
        TransactionalUnitPublisher.start(
            kafka.clientProperties(),
            "backfill-" + bucket,
            topics.topics(),
            new SimpleMeterRegistry())) {
      S3Backfill backfill =
          new S3Backfill(s3, new S3ObjectIngester(s3, new AwsLogDecoder(), publisher));
      first =
          backfill.run(
              request,
              progress -> {
                if (progress.objectsFinished() == 2) {
                  backfill.stop();
                }
              });
    }
    assertThat(first.stopped()).isTrue();
    assertThat(first.progress().objectsTotal()).isEqualTo(5);
    assertThat(first.progress().objectsPublished()).isEqualTo(2);

    List<BackfillProgress> reports = new ArrayList<>();
    S3Backfill.Summary resumed;
    try (var restarted =
        TransactionalUnitPublisher.start(
            kafka.clientProperties(),
            "backfill-" + bucket,
            topics.topics(),
            new SimpleMeterRegistry())) {
      resumed =
          new S3Backfill(s3, new S3ObjectIngester(s3, new AwsLogDecoder(), restarted))
              .run(request, reports::add);
    }
    assertThat(resumed.stopped()).isFalse();
    assertThat(resumed.progress().objectsSkipped()).isEqualTo(2);
    assertThat(resumed.progress().objectsPublished()).isEqualTo(3);
    assertThat(reports).hasSize(5);
    BackfillProgress last = reports.get(reports.size() - 1);
    assertThat(last.bytesFinished()).isEqualTo(last.bytesTotal());
    assertThat(last.eta()).isPresent();

    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("n1-a", "n1-b", "n1-org", "n2-a", "n2-org");
    assertThat(topics.readCommitted(topics.topics().vpcflow()))
        .extracting(ConsumerRecord::key)
        .containsExactly("10.0.0.5");
    assertThat(topics.values(topics.topics().dlq())).isEmpty();
  }

  private static final String FLOW_HEADER =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
          + " start end action log-status";

  @Test
  void aDateRangeSelectsItsDaysInEveryLayoutListingOnlyFoldersOfThoseDays() {
    String bucket = bucket();
    String trail = "AWSLogs/111122223333/CloudTrail/us-east-1/";
    String orgTrail = "AWSLogs/o-exampleorgid/444455556666/CloudTrail/eu-west-1/";
    String insight = "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/";
    String digest = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/";
    String flows = "AWSLogs/111122223333/vpcflowlogs/us-east-1/";
    String custom = "central/logs/AWSLogs/111122223333/vpcflowlogs/eu-west-3/";
    String hive =
        "AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/";
    String copied = "copied/";
    List<String> inRange =
        List.of(
            trail + "2024/01/15/a.json.gz",
            orgTrail + "2024/01/15/b.json.gz",
            insight + "2024/01/15/i.json.gz",
            flows + "2024/01/15/f.log.gz",
            flows + "2024/01/15/10/hourly.log.gz",
            custom + "2024/01/15/c.log.gz",
            hive + "year=2024/month=01/day=15/h.log.gz",
            hive + "year=2024/month=01/day=15/hour=23/hh.log.gz",
            copied + "111122223333_CloudTrail_us-east-1_20240115T0005Z_abcdefghijklmnop.json.gz");
    List<String> outOfRange =
        List.of(
            trail + "2024/01/14/a.json.gz",
            trail + "2024/01/16/a.json.gz",
            trail + "2023/01/15/a.json.gz",
            orgTrail + "2024/02/15/b.json.gz",
            insight + "2024/01/14/i.json.gz",
            flows + "2024/01/14/23/hourly.log.gz",
            custom + "2024/01/16/c.log.gz",
            hive + "year=2024/month=01/day=14/h.log.gz",
            hive + "year=2024/month=01/day=16/hour=00/hh.log.gz",
            hive + "year=2023/month=01/day=15/h.log.gz",
            digest + "2024/01/15/d.json.gz");
    String outOfRangeCopy =
        copied + "111122223333_CloudTrail_us-east-1_20240116T0005Z_abcdefghijklmnop.json.gz";
    inRange.forEach(k -> put(bucket, k, SampleLogs.gzip("x")));
    outOfRange.forEach(k -> put(bucket, k, SampleLogs.gzip("x")));
    put(bucket, outOfRangeCopy, SampleLogs.gzip("x"));

    S3Backfill.Listing listing =
        new S3Backfill(s3, null)
            .list(S3Backfill.Request.of("s3://" + bucket + "/", JAN_15, JAN_15));

    assertThat(listing.objects())
        .extracting(S3ObjectRef::key)
        .containsExactlyInAnyOrderElementsOf(inRange);
    // Only the day folders in range were listed, and the one folder of no layout (its files dated
    // by name): no key of another day under a layout was even seen.
    assertThat(listing.keysSeen()).isEqualTo(inRange.size() + 1);

    // One bound only: every day from it on (or up to it).
    assertThat(
            new S3Backfill(s3, null)
                .list(
                    S3Backfill.Request.of("s3://" + bucket + "/AWSLogs/", JAN_15.plusDays(1), null))
                .objects())
        .extracting(S3ObjectRef::key)
        .containsExactlyInAnyOrder(
            trail + "2024/01/16/a.json.gz",
            orgTrail + "2024/02/15/b.json.gz",
            hive + "year=2024/month=01/day=16/hour=00/hh.log.gz");
    // A prefix that ends inside the date folders.
    assertThat(
            new S3Backfill(s3, null)
                .list(
                    S3Backfill.Request.of(
                        "s3://" + bucket + "/" + trail + "2024/01/1", null, JAN_15))
                .objects())
        .extracting(S3ObjectRef::key)
        .containsExactlyInAnyOrder(trail + "2024/01/14/a.json.gz", trail + "2024/01/15/a.json.gz");
  }

  @Test
  void aDateRangeOverKeysOfNoKnownLayoutIsRefusedNotSkipped() {
    String bucket = bucket();
    put(
        bucket,
        "AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/01/15/f.log.gz",
        SampleLogs.gzip("x"));
    put(bucket, "exports/2024-01-15/flows.log.gz", SampleLogs.gzip("x"));
    S3Backfill backfill = new S3Backfill(s3, null);

    assertThatThrownBy(
            () -> backfill.list(S3Backfill.Request.of("s3://" + bucket + "/", JAN_15, JAN_15)))
        .isInstanceOf(S3Backfill.UndatableObjectException.class)
        .hasMessageContaining("cannot date objects under s3://" + bucket + "/")
        .hasMessageContaining("layout not recognised")
        .hasMessageContaining("s3://" + bucket + "/exports/2024-01-15/flows.log.gz")
        .hasMessageContaining("ingest without --from/--to");

    // Without a range nothing needs a date; with filters that leave the key out, nothing is
    // refused.
    assertThat(backfill.list(S3Backfill.Request.of("s3://" + bucket + "/", null, null)).objects())
        .hasSize(2);
    assertThat(
            backfill
                .list(
                    S3Backfill.Request.of("s3://" + bucket + "/", JAN_15, JAN_15)
                        .withFilters(List.of(S3KeyFilter.of("AWSLogs/", ""))))
                .objects())
        .extracting(S3ObjectRef::key)
        .containsExactly("AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/01/15/f.log.gz");
  }

  @Test
  void flowRecordsTakeTheirRegionFromTheRecordElseFromTheKey(KafkaCluster kafka) throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    String bucket = bucket();
    String hive =
        "AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-3/"
            + "year=2024/month=01/day=15/hour=10/";
    put(
        bucket,
        hive + "default.log.gz",
        SampleLogs.gzip(
            FLOW_HEADER
                + "\n2 111122223333 eni-1 10.0.0.5 198.51.100.7 443 50000 6 10 840 1705312800"
                + " 1705312860 ACCEPT OK\n"));
    put(
        bucket,
        "AWSLogs/111122223333/vpcflowlogs/eu-west-3/2024/01/15/custom.log.gz",
        SampleLogs.gzip(
            "version srcaddr dstaddr region action log-status\n"
                + "5 10.0.0.6 198.51.100.8 us-west-2 ACCEPT OK\n"));
    put(
        bucket,
        "AWSLogs/111122223333/vpcflowlogs/ap-south-1/2024/01/15/plain.log.gz",
        SampleLogs.gzip(
            FLOW_HEADER
                + "\n2 111122223333 eni-2 10.0.0.7 198.51.100.9 443 50000 6 10 840 1705312800"
                + " 1705312860 REJECT OK\n"));

    try (var publisher =
        TransactionalUnitPublisher.start(
            kafka.clientProperties(),
            "backfill-" + bucket,
            topics.topics(),
            new SimpleMeterRegistry())) {
      S3Backfill.Summary summary =
          new S3Backfill(s3, new S3ObjectIngester(s3, new AwsLogDecoder(), publisher))
              .run(
                  S3Backfill.Request.of("s3://" + bucket + "/AWSLogs/", JAN_15, JAN_15),
                  BackfillListener.NONE);
      assertThat(summary.progress().objectsPublished()).isEqualTo(3);
    }

    assertThat(topics.values(topics.topics().vpcflow(), 3))
        .extracting(r -> r.getSrcaddr() + " " + r.getRegion())
        .containsExactlyInAnyOrder(
            "10.0.0.5 eu-west-3", "10.0.0.6 us-west-2", "10.0.0.7 ap-south-1");
  }

  @Test
  void anObjectDeletedAfterTheListingIsADeadLetter(KafkaCluster kafka) throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    String bucket = bucket();
    String key = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/gone.json.gz";
    put(bucket, key, SampleLogs.cloudTrailRecordsGzip("e1"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (var publisher =
        TransactionalUnitPublisher.start(
            kafka.clientProperties(), "backfill-" + bucket, topics.topics(), meters)) {
      S3Backfill backfill =
          new S3Backfill(
              s3, new S3ObjectIngester(s3, new AwsLogDecoder(), publisher, "ingest.s3-backfill"));
      S3Backfill.Listing listing =
          backfill.list(S3Backfill.Request.of("s3://" + bucket + "/", JAN_15, JAN_15));
      s3.deleteObject(b -> b.bucket(bucket).key(key));

      S3Backfill.Summary summary = backfill.run(listing, BackfillListener.NONE);

      assertThat(summary.progress().objectsFailed()).isZero();
      assertThat(summary.progress().objectsSkipped()).isEqualTo(1);
      assertThat(summary.progress().rejected()).isEqualTo(1);
    }
    assertThat(topics.values(topics.topics().dlq(), 1))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getReason()).isEqualTo("object-missing");
              assertThat(r.getSourceLocation()).isEqualTo("s3://" + bucket + "/" + key);
              assertThat(r.getComponent()).isEqualTo("ingest.s3-backfill");
            });
    assertThat(
            meters
                .get(IngestMetrics.REJECTS)
                .tags("source", "s3", "reason", "object-missing")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  private static String bucket() {
    String bucket = "backfill-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  private static void put(String bucket, String key, byte[] content) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }
}
