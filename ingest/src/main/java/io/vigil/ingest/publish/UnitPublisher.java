package io.vigil.ingest.publish;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Publishes one unit of ingest work (an S3 object, a Kinesis batch, a file) to Kafka exactly once:
 * the unit's records, its rejections and its {@link Checkpoint} are committed in one Kafka
 * transaction, or nothing of them is visible to {@code read_committed} readers.
 *
 * <p>Sources ask {@link #committed} before doing a unit again (a redelivered SQS message, a
 * re-listed object, a restarted shard reader) and acknowledge their input only after {@link
 * #publish} returned.
 */
public interface UnitPublisher extends AutoCloseable {

  /** The last committed checkpoint under {@code key}, as known to this publisher. */
  Optional<Checkpoint> committed(String key);

  /**
   * Runs {@code body} in one transaction and commits it with {@code checkpoint}.
   *
   * @throws PublishException when the transaction could not be committed; nothing of it is then
   *     visible, and the unit may be retried
   */
  PublishResult publish(Checkpoint checkpoint, UnitBody body) throws PublishException;

  /**
   * As {@link #publish(Checkpoint, UnitBody)}, committed only while {@code fence}'s group
   * membership holds its lease: sources whose work is shared by several instances (Kinesis shards)
   * fence each unit so a reader that lost its shard cannot commit it after the new owner started.
   *
   * @throws UnsupportedOperationException when this publisher cannot fence
   */
  default PublishResult publish(Checkpoint checkpoint, UnitBody body, GroupFence fence)
      throws PublishException {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot fence a unit by group membership");
  }

  /**
   * Reads the checkpoints other publishers committed since this one started or last refreshed, so
   * {@link #committed} knows of units another instance did. Publishers that are the only writer of
   * their keys need not implement it.
   */
  default void refreshCommitted() {}

  /**
   * Why this publisher publishes no more (fenced by another producer with its transactional id,
   * failed fatally), or empty while it works.
   */
  default Optional<String> problem() {
    return Optional.empty();
  }

  /**
   * Every committed checkpoint {@code which} accepts, as known to this publisher (for bookkeeping
   * kept in checkpoints, such as the log files a CloudTrail digest listed).
   *
   * @throws UnsupportedOperationException when this publisher cannot list its checkpoints
   */
  default List<Checkpoint> committedMatching(Predicate<Checkpoint> which) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot list its checkpoints");
  }

  @Override
  void close();
}
