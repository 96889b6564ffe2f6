package io.vigil.streams.posture;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Retention of deleted resources while old logs are replayed: the wall clock is years past the
 * events, and the retention runs on the logs' own timeline (stream time), not on the wall clock.
 */
class PostureReplayRetentionTest extends PostureTopologyTestBase {

  private static final Duration RETENTION = PostureSettings.DEFAULT_DELETED_RETENTION;
  private static final String ARN = bucketArn("replayed-bucket");

  @Override
  Instant wallClockStart() {
    return T0.plus(Duration.ofDays(3 * 365));
  }

  private Event bucketCall(String name, String bucket) {
    return event("s3", name).request("{\"bucketName\": \"" + bucket + "\"}");
  }

  @Test
  void replayedDeletionIsKeptThoughTheWallClockIsYearsPastIt() {
    send(
        bucketCall("CreateBucket", "replayed-bucket"),
        bucketCall("DeleteBucket", "replayed-bucket"));
    posture.readRecordsToList();

    driver.advanceWallClockTime(Duration.ofMinutes(1));

    assertThat(state(ARN).getDeleted()).isTrue();
    assertThat(posture.isEmpty()).isTrue();
  }

  @Test
  void replayedDeletionLeavesOnceTheReplayedLogsArePastItsRetention() {
    send(
        bucketCall("CreateBucket", "replayed-bucket"),
        bucketCall("DeleteBucket", "replayed-bucket"));
    // The replay reaches events of another resource eight days after the deletion, in seconds.
    send(
        bucketCall("PutBucketVersioning", "other-bucket")
            .at(T0.plus(RETENTION).plus(Duration.ofDays(1)))
            .request(
                "{\"bucketName\": \"other-bucket\", \"VersioningConfiguration\": {\"Status\":"
                    + " \"Enabled\"}}"));
    posture.readRecordsToList();

    driver.advanceWallClockTime(Duration.ofSeconds(10));

    List<TestRecord<String, ResourceState>> published = posture.readRecordsToList();
    assertThat(published).extracting(TestRecord::key).containsExactly(ARN);
    assertThat(published.get(0).value()).isNull();
    assertThat(state(ARN)).isNull();
    assertThat(facts(ARN)).isNull();
  }
}
