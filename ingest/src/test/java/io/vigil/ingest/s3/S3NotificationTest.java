package io.vigil.ingest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3NotificationTest {

  @Test
  void anS3EventKeyIsUrlDecodedWithPlusAsSpace() throws Exception {
    S3Notification n = S3Notification.parse(S3NotificationSourceIT.s3Event("a b/c%d.json", "e1"));

    assertThat(n.objects())
        .containsExactly(new S3ObjectRef("vigil-logs", "a b/c%d.json", "e1", 100));
  }

  @Test
  void anSnsEnvelopeIsOpened() throws Exception {
    String inner = S3NotificationSourceIT.s3Event("k.json", "e1");

    assertThat(S3Notification.parse(S3NotificationSourceIT.snsEnvelope(inner)).objects())
        .extracting(S3ObjectRef::key)
        .containsExactly("k.json");
  }

  @Test
  void aTestEventNamesNoObject() throws Exception {
    S3Notification n =
        S3Notification.parse(
            "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"b\"}");

    assertThat(n.testEvent()).isTrue();
    assertThat(n.objects()).isEmpty();
  }

  @Test
  void removalsNameNoObject() throws Exception {
    String removed =
        S3NotificationSourceIT.s3Event("k.json", "e1")
            .replace("ObjectCreated:Put", "ObjectRemoved:Delete");

    assertThat(S3Notification.parse(removed).objects()).isEmpty();
  }

  @Test
  void eventBridgeObjectCreatedNamesItsObject() throws Exception {
    String event =
        "{\"source\":\"aws.s3\",\"detail-type\":\"Object"
            + " Created\",\"detail\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"a"
            + " b.json\",\"size\":5,\"etag\":\"e\"}}}";

    assertThat(S3Notification.parse(event).objects())
        .containsExactly(new S3ObjectRef("b", "a b.json", "e", 5));
  }

  @Test
  void otherJsonIsMalformedWithAReason() {
    assertThatThrownBy(() -> S3Notification.parse("{\"hello\":1}"))
        .isInstanceOfSatisfying(
            S3Notification.MalformedNotificationException.class,
            e -> assertThat(e.reason()).isEqualTo("sqs_message_unknown"));
    assertThatThrownBy(() -> S3Notification.parse("[1,2"))
        .isInstanceOfSatisfying(
            S3Notification.MalformedNotificationException.class,
            e -> assertThat(e.reason()).isEqualTo("sqs_message_not_json"));
  }

  @Test
  void etagsLoseTheirQuotes() {
    assertThat(S3ObjectRef.bareETag("\"abc\"")).isEqualTo("abc");
    assertThat(S3ObjectRef.bareETag("abc-2")).isEqualTo("abc-2");
  }

  @Test
  void keyDatesFollowTheCloudTrailOrgTrailAndFlowLogLayouts() {
    assertThat(S3Backfill.keyDate("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/x.json.gz"))
        .contains(LocalDate.of(2026, 11, 2));
    assertThat(
            S3Backfill.keyDate(
                "prefix/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2025/01/31/x.json.gz"))
        .contains(LocalDate.of(2025, 1, 31));
    assertThat(S3Backfill.keyDate("AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/02/03/f.log.gz"))
        .contains(LocalDate.of(2026, 2, 3));
    assertThat(S3Backfill.keyDate("AWSLogs/111122223333/CloudTrail/us-east-1/2026/13/02/x"))
        .isEmpty();
    assertThat(S3Backfill.keyDate("elb/2026/11/02/x.log")).isEmpty();
  }

  @Test
  void digestsAreNeverAcceptedAndFiltersMatchPrefixAndSuffix() {
    List<S3KeyFilter> filters = List.of(new S3KeyFilter("cloudtrail", "AWSLogs/", ".json.gz"));

    assertThat(S3KeyFilter.accepts(filters, "AWSLogs/1/CloudTrail/r/2026/11/02/x.json.gz"))
        .isTrue();
    assertThat(S3KeyFilter.accepts(filters, "AWSLogs/1/CloudTrail-Digest/r/2026/11/02/x.json.gz"))
        .isFalse();
    assertThat(S3KeyFilter.accepts(List.of(), "AWSLogs/1/CloudTrail-Digest/r/2026/11/02/x.json.gz"))
        .isFalse();
    assertThat(S3KeyFilter.accepts(filters, "elb/x.log")).isFalse();
    assertThat(S3KeyFilter.accepts(List.of(), "elb/x.log")).isTrue();
  }

  @Test
  void aBackfillUriNamesBucketAndPrefix() {
    S3Backfill.Request r = S3Backfill.Request.of("s3://logs/AWSLogs/1/", null, null);

    assertThat(r.bucket()).isEqualTo("logs");
    assertThat(r.prefix()).isEqualTo("AWSLogs/1/");
    assertThatThrownBy(() -> S3Backfill.Request.of("logs/AWSLogs", null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
