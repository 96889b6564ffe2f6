package io.vigil.ingest.kinesis;

import io.vigil.ingest.publish.GroupFence;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which shards of a stream this source reads. One instance alone reads every shard ({@link
 * #EVERY_SHARD}); instances sharing a stream hold {@link ShardLeases}, and each unit a reader
 * commits carries its lease's {@link GroupFence}.
 */
interface ShardOwnership extends AutoCloseable {

  /** What the source does when leases move. */
  interface Changes {

    /**
     * The shards matching {@code shards} are no longer this instance's: stop their readers and
     * return once no unit of theirs is being published.
     */
    void released(Predicate<String> shards);

    /**
     * Leases are about to be acquired and every transaction that carried them has ended: read the
     * checkpoints committed so far, which is where their shards resume.
     */
    void acquiring();

    /** Leases were acquired: their shards may start. */
    void acquired();
  }

  /** Reads every shard, fences nothing: one instance per stream. */
  ShardOwnership EVERY_SHARD =
      new ShardOwnership() {
        @Override
        public void start(Changes changes) {}

        @Override
        public boolean shared() {
          return false;
        }

        @Override
        public boolean owns(String shardId) {
          return true;
        }

        @Override
        public Optional<GroupFence> fence(String shardId) {
          return Optional.empty();
        }

        @Override
        public void close() {}
      };

  /** Starts taking part; {@code changes} hears of every lease that moves afterwards. */
  void start(Changes changes);

  /** Whether other instances read shards of the same stream. */
  boolean shared();

  /** Whether this instance reads {@code shardId} now. */
  boolean owns(String shardId);

  /**
   * The fence a unit of {@code shardId} commits under; empty when it is not fenced ({@link #shared}
   * false) or no longer this instance's.
   */
  Optional<GroupFence> fence(String shardId);

  /** Why this instance cannot take part now (its lease group failed); empty when it can. */
  default Optional<String> problem() {
    return Optional.empty();
  }

  @Override
  void close();
}
