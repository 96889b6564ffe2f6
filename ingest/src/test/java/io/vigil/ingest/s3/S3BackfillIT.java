package io.vigil.ingest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.decode.AwsLogDecoder;
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

  private static void put(String bucket, String key, byte[] content) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }
}
