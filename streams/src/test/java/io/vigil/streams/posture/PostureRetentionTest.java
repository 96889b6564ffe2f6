package io.vigil.streams.posture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.ResourceState;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Deleted resources: they fail nothing at once, are kept (marked deleted) for the retention after
 * their deletion, then leave with a tombstone on {@code vigil.posture} and from every store. The
 * driver's wall clock starts with the events, as on a live stream; {@link
 * PostureReplayRetentionTest} covers a replay of old logs.
 */
class PostureRetentionTest extends PostureTopologyTestBase {

  static final Duration RETENTION = PostureSettings.DEFAULT_DELETED_RETENTION;
  static final String BUCKET = "finance-exports";
  static final String ARN = bucketArn(BUCKET);
  static final String GROUP = "sg-0a1b2c3d4e5f67890";
  static final String KEY_ARN =
      "arn:aws:kms:us-east-1:123837392027:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  Event create(String bucket) {
    return event("s3", "CreateBucket")
        .request("{\"bucketName\": \"" + bucket + "\", \"Host\": \"s3.amazonaws.com\"}");
  }

  Event delete(String bucket) {
    return event("s3", "DeleteBucket").request("{\"bucketName\": \"" + bucket + "\"}");
  }

  Event publicPolicy(String bucket) {
    return event("s3", "PutBucketPolicy")
        .request(
            """
            {"bucketName": "%s", "bucketPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
             "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*"}]}}\
            """
                .formatted(bucket, bucket));
  }

  /** Every value published for {@code arn} since the last read, tombstones as null. */
  List<ResourceState> published(String arn) {
    return posture.readRecordsToList().stream()
        .filter(r -> r.key().equals(arn))
        .map(TestRecord::value)
        .toList();
  }

  @Test
  void deletedBucketStopsFailingAtOnceAndRaisesNoFinding() {
    send(create(BUCKET), publicPolicy(BUCKET));
    assertThat(state(ARN).getFailingControls()).containsExactly("posture-s3-bucket-public");
    findings.clear();

    send(delete(BUCKET));

    assertThat(state(ARN).getDeleted()).isTrue();
    assertThat(state(ARN).getFailingControls()).isEmpty();
    assertThat(findings).isEmpty();
  }

  @Test
  void deletedOpenSecurityGroupStopsFailingAndRaisesNoFinding() {
    send(
        event("ec2", "AuthorizeSecurityGroupIngress")
            .request(
                """
                {"groupId": "%s", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIp": "0.0.0.0/0"}\
                """
                    .formatted(GROUP)));
    assertThat(state(groupArn(GROUP)).getFailingControls())
        .containsExactly("posture-security-group-open-to-world");
    findings.clear();

    send(event("ec2", "DeleteSecurityGroup").request("{\"groupId\": \"" + GROUP + "\"}"));

    assertThat(state(groupArn(GROUP)).getDeleted()).isTrue();
    assertThat(state(groupArn(GROUP)).getFailingControls()).isEmpty();
    assertThat(findings).isEmpty();
  }

  @Test
  void kmsDeleteKeyAtTheEndOfTheWaitingPeriodDeletesTheKeyPendingDeletion() {
    send(
        event("kms", "ScheduleKeyDeletion")
            .request(
                "{\"keyId\": \"1234abcd-12ab-34cd-56ef-1234567890ab\", \"pendingWindowInDays\": 7}")
            .response(
                "{\"keyId\": \""
                    + KEY_ARN
                    + "\", \"deletionDate\": \"Jul 17, 2023, 12:00:00 AM\", \"keyState\":"
                    + " \"PendingDeletion\"}"));
    assertThat(state(KEY_ARN).getFailingControls()).containsExactly("posture-kms-key-disabled");
    findings.clear();

    // As KMS records it: no request or response, the key named only in resources.
    send(event("kms", "DeleteKey").serviceEvent().resource("AWS::KMS::Key", KEY_ARN));

    assertThat(state(KEY_ARN).getDeleted()).isTrue();
    assertThat(state(KEY_ARN).getFailingControls()).isEmpty();
    assertThat(state(KEY_ARN).getAttributes()).doesNotContainKeys("key_state", "deletion_date");
    assertThat(findings).isEmpty();
  }

  @Test
  void deletedResourceIsKeptMarkedDeletedUntilTheRetentionHasPassed() {
    send(create(BUCKET), publicPolicy(BUCKET), delete(BUCKET));
    posture.readRecordsToList();

    // Sweeps run all along (every 10 s of wall-clock time) and find nothing due.
    driver.advanceWallClockTime(RETENTION.minusMinutes(1));

    assertThat(state(ARN).getDeleted()).isTrue();
    assertThat(facts(ARN)).isNotNull();
    assertThat(deletionIndex()).containsExactly(ARN);
    assertThat(posture.isEmpty()).as("no tombstone before the retention has passed").isTrue();
  }

  @Test
  void afterTheRetentionATombstoneIsPublishedAndBothStoresForgetTheResource() {
    send(create(BUCKET), publicPolicy(BUCKET));
    Event deletion = delete(BUCKET);
    send(deletion);
    posture.readRecordsToList();

    // No event comes any more: the wall clock carries the stream's time forward.
    driver.advanceWallClockTime(RETENTION.plusSeconds(30));

    List<TestRecord<String, ResourceState>> published = posture.readRecordsToList();
    assertThat(published).hasSize(1);
    assertThat(published.get(0).key()).isEqualTo(ARN);
    assertThat(published.get(0).value()).as("a tombstone").isNull();
    assertThat(published.get(0).timestamp())
        .isGreaterThanOrEqualTo(deletion.time().plus(RETENTION).toEpochMilli());
    assertThat(state(ARN)).isNull();
    assertThat(facts(ARN)).isNull();
    assertThat(deletionIndex()).isEmpty();
    assertThat(findings).extracting(f -> f.getRuleId()).containsExactly("posture-s3-bucket-public");
  }

  @Test
  void onlyTheDeletionsDueAreRemoved() {
    send(create("early"), delete("early"));
    driver.advanceWallClockTime(Duration.ofDays(2));
    send(
        create("later").at(T0.plus(Duration.ofDays(2))),
        delete("later").at(T0.plus(Duration.ofDays(2)).plusSeconds(1)),
        create("kept").at(T0.plus(Duration.ofDays(2)).plusSeconds(2)));
    posture.readRecordsToList();

    // Five more days of quiet make the first deletion, and only it, due.
    driver.advanceWallClockTime(Duration.ofDays(5).plusMinutes(1));

    assertThat(published(bucketArn("early"))).containsExactly((ResourceState) null);
    assertThat(state(bucketArn("early"))).isNull();
    assertThat(state(bucketArn("later")).getDeleted()).isTrue();
    assertThat(state(bucketArn("kept")).getDeleted()).isFalse();
    assertThat(deletionIndex()).containsExactly(bucketArn("later"));
  }

  @Test
  void deletionIndexHoldsTheDeletedResourcesOnlyInDeletionTimeOrder() {
    send(create("b1"), create("b2"), create("b3"), delete("b3"), delete("b1"));

    assertThat(deletionIndex()).containsExactly(bucketArn("b3"), bucketArn("b1"));

    send(create("b3"));
    assertThat(deletionIndex()).containsExactly(bucketArn("b1"));
  }

  @Test
  void eventDatedInTheFutureDoesNotExpireDeletionsEarly() {
    send(create(BUCKET), delete(BUCKET));
    // A clock-skewed or forged record, a month ahead of the wall clock.
    send(create("from-the-future").at(T0.plus(Duration.ofDays(30))));
    posture.readRecordsToList();

    driver.advanceWallClockTime(Duration.ofMinutes(1));

    assertThat(state(ARN).getDeleted()).isTrue();
    assertThat(posture.isEmpty()).isTrue();
  }

  @Test
  void recreatedBucketStartsFreshAndIsNotRemovedByTheOldDeletion() {
    send(create(BUCKET), publicPolicy(BUCKET), delete(BUCKET));
    findings.clear();
    send(create(BUCKET));

    assertThat(state(ARN).getDeleted()).isFalse();
    assertThat(attributes(ARN)).doesNotContainKey("policy_public").containsEntry("public", "false");
    assertThat(state(ARN).getFailingControls()).isEmpty();
    assertThat(deletionIndex()).isEmpty();
    posture.readRecordsToList();

    driver.advanceWallClockTime(RETENTION.plusMinutes(1));

    assertThat(state(ARN).getDeleted()).isFalse();
    assertThat(posture.isEmpty()).isTrue();
    assertThat(findings).isEmpty();
  }

  @Test
  void recreatedBucketAfterItsRemovalStartsFresh() {
    send(create(BUCKET), publicPolicy(BUCKET), delete(BUCKET));
    driver.advanceWallClockTime(RETENTION.plusMinutes(1));
    assertThat(state(ARN)).isNull();
    findings.clear();

    Event recreate = create(BUCKET).at(T0.plus(RETENTION).plusSeconds(3600));
    send(recreate);

    assertThat(state(ARN).getDeleted()).isFalse();
    assertThat(attributes(ARN)).doesNotContainKey("policy_public").containsEntry("public", "false");
    assertThat(state(ARN).getEstablishedByEventIds()).containsExactly(recreate.id());
    assertThat(findings).isEmpty();
  }

  @Test
  void lateEventOlderThanTheDeletionIsIgnoredWhileTheDeletedResourceIsKept() {
    send(create(BUCKET));
    Event policy = publicPolicy(BUCKET);
    Event deletion = delete(BUCKET);
    send(deletion);
    posture.readRecordsToList();

    // Made before the deletion, delivered a day after it.
    send(policy);
    driver.advanceWallClockTime(Duration.ofDays(1));

    assertThat(state(ARN).getDeleted()).isTrue();
    assertThat(state(ARN).getFailingControls()).isEmpty();
    assertThat(findings).isEmpty();
    assertThat(posture.isEmpty()).as("the late event changes nothing").isTrue();
  }

  @Test
  void afterTheRemovalAnEventOlderThanTheDeletionIsTheFirstNewsOfAResource() {
    // The documented limit: a removed ARN is forgotten, so an event older than its deletion that
    // arrives more than the retention late cannot be recognised as such.
    send(create(BUCKET));
    Event policy = publicPolicy(BUCKET);
    send(delete(BUCKET));
    driver.advanceWallClockTime(RETENTION.plusMinutes(1));
    assertThat(state(ARN)).isNull();

    send(policy);

    assertThat(state(ARN).getDeleted()).isFalse();
    assertThat(attributes(ARN)).containsEntry("policy_public", "true");
  }

  @Test
  void negativeRetentionIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> new PostureSettings(List.of(), 10, Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-24H");
  }
}
