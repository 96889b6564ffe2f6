package io.vigil.ingest.kinesis;

import io.vigil.ingest.kinesis.KinesisSettings.StartPosition;
import io.vigil.ingest.publish.Checkpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Which shards of a stream may be read now, and from where. Kinesis keeps a shard's records in
 * order only within the shard; after a split or merge, the order across the reshard holds only if a
 * child is read after its parents were read to the end. So a shard waits until each of its parents
 * is finished (read to SHARD_END and that checkpoint committed), skipped, or gone from the listing
 * (trimmed past retention).
 *
 * <p>Where a startable shard begins: after its committed checkpoint; at its start when a parent was
 * read (a child's first records follow its parents' last ones); otherwise at the configured
 * position. With {@link StartPosition#LATEST}, a shard that is already closed and has no checkpoint
 * is skipped, as nothing new can arrive in it.
 *
 * <p>Where instances share the stream, only the shards this one {@code owns} start here; the others
 * wait, and are known finished by the checkpoint their owner commits at their end.
 *
 * <p>Thread-safe: listings and reader completions come from different threads.
 */
final class ShardLineage {

  /** Checkpoint attribute marking a shard read to its end. */
  static final String SHARD_END = "shard_end";

  /** Where each known shard stands. */
  enum Phase {
    /** Known, waiting for a parent. */
    WAITING,
    /** A reader runs. */
    READING,
    /** Read to its end, with that checkpoint committed. */
    FINISHED,
    /** Never to be read: closed before this source cared (start position LATEST). */
    SKIPPED
  }

  /** Where a reader starts: {@code sequenceNumber} is set for AFTER_SEQUENCE_NUMBER only. */
  record ShardStart(String shardId, ShardIteratorType type, String sequenceNumber) {}

  private final String stream;
  private final StartPosition position;
  private final Function<String, Optional<Checkpoint>> committed;
  private final Predicate<String> owns;
  private final Map<String, Phase> phases = new LinkedHashMap<>();
  private Map<String, Shard> listed = Map.of();

  ShardLineage(
      String stream, StartPosition position, Function<String, Optional<Checkpoint>> committed) {
    this(stream, position, committed, shard -> true);
  }

  ShardLineage(
      String stream,
      StartPosition position,
      Function<String, Optional<Checkpoint>> committed,
      Predicate<String> owns) {
    this.stream = stream;
    this.position = position;
    this.committed = committed;
    this.owns = owns;
  }

  /** The checkpoint key of a shard. */
  static String checkpointKey(String stream, String shardId) {
    return "kinesis://" + stream + "/" + shardId;
  }

  /** Takes a complete ListShards result; returns the readers to start now. */
  synchronized List<ShardStart> listed(List<Shard> shards) {
    Map<String, Shard> byId = new LinkedHashMap<>();
    for (Shard shard : shards) {
      byId.put(shard.shardId(), shard);
      phases.putIfAbsent(shard.shardId(), Phase.WAITING);
    }
    listed = byId;
    return startable();
  }

  /** A reader committed its shard's end; returns the children that may start now. */
  synchronized List<ShardStart> finished(String shardId) {
    phases.put(shardId, Phase.FINISHED);
    return startable();
  }

  /** A reader gave up (the shard vanished); a later listing decides about the shard again. */
  synchronized void abandoned(String shardId) {
    phases.put(shardId, Phase.WAITING);
  }

  /**
   * A reader stopped because its shard went to another instance; if it comes back, it resumes from
   * the checkpoint committed by then.
   */
  synchronized void released(String shardId) {
    if (phases.get(shardId) == Phase.READING) {
      phases.put(shardId, Phase.WAITING);
    }
  }

  synchronized Map<String, Phase> phases() {
    return Map.copyOf(phases);
  }

  private List<ShardStart> startable() {
    List<ShardStart> starts = new ArrayList<>();
    boolean changed = true;
    // Until nothing changes: a parent found finished by its checkpoint can release its children
    // in the same listing, whatever order ListShards returned them in.
    while (changed) {
      changed = false;
      for (Shard shard : listed.values()) {
        String id = shard.shardId();
        if (phases.get(id) != Phase.WAITING || !parentsDone(shard)) {
          continue;
        }
        Optional<Checkpoint> checkpoint = committed.apply(checkpointKey(stream, id));
        if (checkpoint.isPresent() && "true".equals(checkpoint.get().attributes().get(SHARD_END))) {
          phases.put(id, Phase.FINISHED);
          changed = true;
        } else if (checkpoint.isEmpty()
            && !anyParentRead(shard)
            && position == StartPosition.LATEST
            && isClosed(shard)) {
          // Decided alike by every instance, owner or not: nothing new can arrive in it.
          phases.put(id, Phase.SKIPPED);
          changed = true;
        } else if (!owns.test(id)) {
          continue;
        } else if (checkpoint.isPresent()) {
          phases.put(id, Phase.READING);
          starts.add(
              new ShardStart(
                  id, ShardIteratorType.AFTER_SEQUENCE_NUMBER, checkpoint.get().version()));
        } else if (anyParentRead(shard) || position == StartPosition.TRIM_HORIZON) {
          phases.put(id, Phase.READING);
          starts.add(new ShardStart(id, ShardIteratorType.TRIM_HORIZON, null));
        } else {
          phases.put(id, Phase.READING);
          starts.add(new ShardStart(id, ShardIteratorType.LATEST, null));
        }
      }
    }
    return starts;
  }

  private boolean parentsDone(Shard shard) {
    return parentDone(shard.parentShardId()) && parentDone(shard.adjacentParentShardId());
  }

  private boolean parentDone(String parentId) {
    if (parentId == null) {
      return true;
    }
    Phase phase = phases.get(parentId);
    if (phase == Phase.FINISHED || phase == Phase.SKIPPED) {
      return true;
    }
    // A parent no longer listed was trimmed past retention: nothing of it is left to read first.
    return phase != Phase.READING && !listed.containsKey(parentId);
  }

  private boolean anyParentRead(Shard shard) {
    return phases.get(shard.parentShardId() == null ? "" : shard.parentShardId()) == Phase.FINISHED
        || phases.get(shard.adjacentParentShardId() == null ? "" : shard.adjacentParentShardId())
            == Phase.FINISHED;
  }

  private static boolean isClosed(Shard shard) {
    return shard.sequenceNumberRange() != null
        && shard.sequenceNumberRange().endingSequenceNumber() != null;
  }
}
