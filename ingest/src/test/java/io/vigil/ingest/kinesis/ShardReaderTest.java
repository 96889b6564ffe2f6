package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.kinesis.ShardLineage.ShardStart;
import io.vigil.ingest.kinesis.ShardReader.Outcome;
import io.vigil.ingest.kinesis.ShardReader.Step;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.GroupFence;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The reader loop stepped by hand: every delay it asks for is asserted, so throttling and backoff
 * are checked with no clock and no sleeping (jitter drawn at its highest).
 */
class ShardReaderTest {

  private static final String SHARD = "shardId-000000000000";
  private static final String KEY = "kinesis://audit/" + SHARD;
  private static final KinesisSettings SETTINGS =
      KinesisSettings.forStream("audit")
          .withPollInterval(Duration.ofMillis(750))
          .withMaxRecordsPerCall(500)
          .withBackoff(Duration.ofMillis(100), Duration.ofMillis(1000));

  private final ScriptedKinesis kinesis = new ScriptedKinesis();
  private final InMemoryPublisher publisher = new InMemoryPublisher();

  @Test
  void batchIsPublishedAsOneUnitCheckpointedAtItsLastSequenceNumber() {
    kinesis.answer(batch("it-next", 0L, record("11", "a"), record("12", "b")));

    Step step = reader(ShardIteratorType.TRIM_HORIZON, null).poll();

    assertThat(step).isEqualTo(Step.after(Duration.ofMillis(750)));
    assertThat(publisher.units())
        .singleElement()
        .satisfies(
            unit -> {
              assertThat(unit.checkpoint())
                  .isEqualTo(
                      new Checkpoint(
                          KEY, "12", 2, java.util.Map.of("last_arrival", "2026-11-01T00:00:00Z")));
              assertThat(unit.records()).containsExactly("a", "b");
            });
    assertThat(kinesis.iteratorRequests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.shardIteratorType()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
              assertThat(r.shardId()).isEqualTo(SHARD);
            });
    assertThat(kinesis.recordRequests)
        .singleElement()
        .satisfies(r -> assertThat(r.limit()).isEqualTo(500));
  }

  @Test
  void readerBehindTheTipPollsAgainAtOnceAndFollowsTheNextIterator() {
    kinesis.answer(batch("it-second", 5_000L, record("1", "a"))).answer(batch("it-third", 0L));
    ShardReader reader = reader(ShardIteratorType.TRIM_HORIZON, null);

    assertThat(reader.poll()).isEqualTo(Step.after(Duration.ZERO));
    assertThat(reader.poll()).isEqualTo(Step.after(Duration.ofMillis(750)));

    assertThat(kinesis.recordRequests)
        .extracting(r -> r.shardIterator())
        .containsExactly("it-1", "it-second");
    assertThat(publisher.units()).as("an empty batch is no unit").hasSize(1);
  }

  @Test
  void throttlingBacksOffExponentiallyAndResetsAfterASuccess() {
    kinesis
        .fail(ProvisionedThroughputExceededException.builder().message("slow down").build())
        .fail(ProvisionedThroughputExceededException.builder().message("slow down").build())
        .fail(LimitExceededException.builder().message("limit").build())
        .answer(batch("it-next", 0L, record("7", "a")))
        .fail(ProvisionedThroughputExceededException.builder().message("slow down").build());
    ShardReader reader = reader(ShardIteratorType.TRIM_HORIZON, null);

    assertThat(List.of(reader.poll(), reader.poll(), reader.poll(), reader.poll(), reader.poll()))
        .extracting(Step::delay)
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(750),
            Duration.ofMillis(100));
    assertThat(publisher.allRecords()).containsExactly("a");
  }

  @Test
  void expiredIteratorIsRenewedAfterTheLastPublishedSequenceNumber() {
    kinesis
        .answer(batch("it-stale", 10L, record("41", "a")))
        .fail(ExpiredIteratorException.builder().message("expired").build())
        .answer(batch("it-next", 0L, record("42", "b")));
    ShardReader reader = reader(ShardIteratorType.LATEST, null);

    reader.poll();
    assertThat(reader.poll())
        .as("the first expiry retries at once")
        .isEqualTo(Step.after(Duration.ZERO));
    reader.poll();

    assertThat(kinesis.iteratorRequests).hasSize(2);
    assertThat(kinesis.iteratorRequests.get(1).shardIteratorType())
        .isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
    assertThat(kinesis.iteratorRequests.get(1).startingSequenceNumber()).isEqualTo("41");
    assertThat(publisher.allRecords()).containsExactly("a", "b");
  }

  @Test
  void failedPublishIsRetriedWithTheSameBatchAndNoDuplicate() {
    kinesis.answer(batch("it-next", 0L, record("1", "a"), record("2", "b")));
    publisher.failNext(2);
    ShardReader reader = reader(ShardIteratorType.TRIM_HORIZON, null);

    assertThat(reader.poll().delay()).isEqualTo(Duration.ofMillis(100));
    assertThat(reader.poll().delay()).isEqualTo(Duration.ofMillis(200));
    assertThat(reader.poll().delay()).isEqualTo(Duration.ofMillis(750));

    assertThat(kinesis.recordRequests).as("the batch in hand is not fetched again").hasSize(1);
    assertThat(publisher.allRecords()).containsExactly("a", "b");
  }

  @Test
  void shardEndCommitsAFinishedCheckpointWithTheLastRecords() {
    kinesis.answer(batch(null, 0L, record("90", "last")));

    Step step = reader(ShardIteratorType.TRIM_HORIZON, null).poll();

    assertThat(step.outcome()).isEqualTo(Outcome.ENDED);
    assertThat(publisher.committed(KEY))
        .get()
        .satisfies(
            c -> {
              assertThat(c.version()).isEqualTo("90");
              assertThat(c.attributes()).containsEntry("shard_end", "true");
            });
    assertThat(publisher.allRecords()).containsExactly("last");
  }

  @Test
  void emptyShardEndStillCommitsTheFinishedCheckpoint() {
    kinesis.answer(batch(null, 0L));

    Step step = reader(ShardIteratorType.AFTER_SEQUENCE_NUMBER, "77").poll();

    assertThat(step.outcome()).isEqualTo(Outcome.ENDED);
    assertThat(publisher.units())
        .singleElement()
        .satisfies(
            unit -> {
              assertThat(unit.checkpoint().version()).isEqualTo("77");
              assertThat(unit.checkpoint().records()).isZero();
              assertThat(unit.checkpoint().attributes()).containsEntry("shard_end", "true");
            });
  }

  @Test
  void resumedReaderStartsAfterTheCommittedSequenceNumber() {
    kinesis.answer(batch("it-next", 0L, record("78", "c")));

    reader(ShardIteratorType.AFTER_SEQUENCE_NUMBER, "77").poll();

    assertThat(kinesis.iteratorRequests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.shardIteratorType()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
              assertThat(r.startingSequenceNumber()).isEqualTo("77");
            });
  }

  @Test
  void vanishedShardIsAbandonedWithoutACheckpoint() {
    kinesis.fail(ResourceNotFoundException.builder().message("no such stream").build());

    assertThat(reader(ShardIteratorType.TRIM_HORIZON, null).poll()).isEqualTo(Step.ABANDONED);
    assertThat(publisher.units()).isEmpty();
  }

  @Test
  void aBatchOfAShardLeasedAwayIsNotPublishedAndTheReaderStops() {
    kinesis.answer(batch("it-next", 0L, record("11", "a")));
    ShardOwnership leasedAway =
        new ShardOwnership() {
          @Override
          public void start(Changes changes) {}

          @Override
          public boolean shared() {
            return true;
          }

          @Override
          public boolean owns(String shardId) {
            return false;
          }

          @Override
          public Optional<GroupFence> fence(String shardId) {
            return Optional.empty();
          }

          @Override
          public void close() {}
        };
    ShardReader reader =
        new ShardReader(
            kinesis,
            SETTINGS,
            new ShardStart(SHARD, ShardIteratorType.TRIM_HORIZON, null),
            publisher,
            new TextDecoder(),
            new Backoff(SETTINGS.backoffBase(), SETTINGS.backoffMax(), BackoffTest.HIGHEST),
            leasedAway);

    assertThat(reader.poll()).isEqualTo(Step.RELEASED);
    assertThat(publisher.units()).isEmpty();
  }

  private ShardReader reader(ShardIteratorType type, String sequence) {
    return new ShardReader(
        kinesis,
        SETTINGS,
        new ShardStart(SHARD, type, sequence),
        publisher,
        new TextDecoder(),
        new Backoff(SETTINGS.backoffBase(), SETTINGS.backoffMax(), BackoffTest.HIGHEST));
  }

  private static GetRecordsResponse batch(String next, Long behind, Record... records) {
    return GetRecordsResponse.builder()
        .records(Arrays.asList(records))
        .nextShardIterator(next)
        .millisBehindLatest(behind)
        .build();
  }

  private static Record record(String sequence, String text) {
    return Record.builder()
        .sequenceNumber(sequence)
        .partitionKey("pk")
        .approximateArrivalTimestamp(Instant.parse("2026-11-01T00:00:00Z"))
        .data(SdkBytes.fromUtf8String(text))
        .build();
  }
}
