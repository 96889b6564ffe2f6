package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.kinesis.KinesisSettings.StartPosition;
import io.vigil.ingest.kinesis.ShardLineage.Phase;
import io.vigil.ingest.kinesis.ShardLineage.ShardStart;
import io.vigil.ingest.publish.Checkpoint;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.SequenceNumberRange;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class ShardLineageTest {

  private final InMemoryPublisher publisher = new InMemoryPublisher();

  @Test
  void openShardsWithoutParentsStartAtTheConfiguredPosition() {
    ShardLineage lineage = lineage(StartPosition.TRIM_HORIZON);

    assertThat(lineage.listed(List.of(open("s0", null, null), open("s1", null, null))))
        .containsExactly(
            start("s0", ShardIteratorType.TRIM_HORIZON),
            start("s1", ShardIteratorType.TRIM_HORIZON));
  }

  @Test
  void childrenOfASplitWaitUntilTheParentIsFinished() {
    ShardLineage lineage = lineage(StartPosition.TRIM_HORIZON);
    List<Shard> split =
        List.of(closed("s0", null, null), open("s1", "s0", null), open("s2", "s0", null));

    assertThat(lineage.listed(split)).containsExactly(start("s0", ShardIteratorType.TRIM_HORIZON));
    assertThat(lineage.listed(split)).as("listing again starts nothing twice").isEmpty();
    assertThat(lineage.phases()).containsEntry("s1", Phase.WAITING);

    assertThat(lineage.finished("s0"))
        .containsExactly(
            start("s1", ShardIteratorType.TRIM_HORIZON),
            start("s2", ShardIteratorType.TRIM_HORIZON));
  }

  @Test
  void mergedChildWaitsForBothParents() {
    ShardLineage lineage = lineage(StartPosition.TRIM_HORIZON);
    lineage.listed(
        List.of(closed("s0", null, null), closed("s1", null, null), open("s2", "s0", "s1")));

    assertThat(lineage.finished("s1")).isEmpty();
    assertThat(lineage.finished("s0")).containsExactly(start("s2", ShardIteratorType.TRIM_HORIZON));
  }

  @Test
  void finishedCheckpointsReleaseChildrenAtOnceAfterARestart() {
    publisher.preload(new Checkpoint("kinesis://audit/s0", "99", 0, Map.of("shard_end", "true")));
    publisher.preload(new Checkpoint("kinesis://audit/s1", "120", 3, Map.of()));
    ShardLineage lineage = lineage(StartPosition.LATEST);

    // Children listed before their parent: the order of a listing does not matter.
    List<ShardStart> starts =
        lineage.listed(
            List.of(open("s1", "s0", null), open("s2", "s0", null), closed("s0", null, null)));

    assertThat(starts)
        .containsExactlyInAnyOrder(
            new ShardStart("s1", ShardIteratorType.AFTER_SEQUENCE_NUMBER, "120"),
            start("s2", ShardIteratorType.TRIM_HORIZON));
    assertThat(lineage.phases()).containsEntry("s0", Phase.FINISHED);
  }

  @Test
  void latestSkipsClosedShardsNobodyReadAndStartsTheOpenOnesAtTheTip() {
    ShardLineage lineage = lineage(StartPosition.LATEST);

    assertThat(lineage.listed(List.of(closed("s0", null, null), open("s1", "s0", null))))
        .containsExactly(start("s1", ShardIteratorType.LATEST));
    assertThat(lineage.phases()).containsEntry("s0", Phase.SKIPPED);
  }

  @Test
  void parentTrimmedPastRetentionDoesNotBlockItsChild() {
    ShardLineage lineage = lineage(StartPosition.TRIM_HORIZON);

    assertThat(lineage.listed(List.of(open("s5", "s3", "s4"))))
        .containsExactly(start("s5", ShardIteratorType.TRIM_HORIZON));
  }

  @Test
  void abandonedShardIsDecidedAgainByTheNextListing() {
    ShardLineage lineage = lineage(StartPosition.TRIM_HORIZON);
    List<Shard> shards = List.of(open("s0", null, null));
    lineage.listed(shards);

    lineage.abandoned("s0");

    assertThat(lineage.listed(shards)).containsExactly(start("s0", ShardIteratorType.TRIM_HORIZON));
  }

  @Test
  void sharedStreamStartsOnlyOwnedShardsAndLearnsOfTheOthersFromTheirCheckpoints() {
    Set<String> owned = new HashSet<>(Set.of("s1"));
    ShardLineage lineage =
        new ShardLineage(
            "audit", StartPosition.TRIM_HORIZON, publisher::committed, owned::contains);
    List<Shard> split =
        List.of(closed("s0", null, null), open("s1", "s0", null), open("s2", "s0", null));

    assertThat(lineage.listed(split)).as("s0 is another instance's").isEmpty();
    assertThat(lineage.phases()).containsEntry("s0", Phase.WAITING);

    // The other instance read s0 to its end: its last checkpoint says so.
    publisher.preload(new Checkpoint("kinesis://audit/s0", "99", 0, Map.of("shard_end", "true")));
    assertThat(lineage.listed(split))
        .as("only the owned child starts, at its beginning")
        .containsExactly(start("s1", ShardIteratorType.TRIM_HORIZON));
    assertThat(lineage.phases())
        .containsEntry("s0", Phase.FINISHED)
        .containsEntry("s2", Phase.WAITING);
  }

  @Test
  void releasedShardResumesFromTheCheckpointItsOtherOwnerCommitted() {
    Set<String> owned = new HashSet<>(Set.of("s0"));
    ShardLineage lineage =
        new ShardLineage(
            "audit", StartPosition.TRIM_HORIZON, publisher::committed, owned::contains);
    List<Shard> shards = List.of(open("s0", null, null));
    assertThat(lineage.listed(shards)).containsExactly(start("s0", ShardIteratorType.TRIM_HORIZON));

    owned.clear();
    lineage.released("s0");
    assertThat(lineage.listed(shards)).as("no longer this instance's").isEmpty();

    publisher.preload(new Checkpoint("kinesis://audit/s0", "42", 5, Map.of()));
    owned.add("s0");
    assertThat(lineage.listed(shards))
        .containsExactly(new ShardStart("s0", ShardIteratorType.AFTER_SEQUENCE_NUMBER, "42"));
  }

  @Test
  void latestSkipsAClosedShardNobodyReadWhoeverOwnsIt() {
    ShardLineage lineage =
        new ShardLineage("audit", StartPosition.LATEST, publisher::committed, "s1"::equals);

    assertThat(lineage.listed(List.of(closed("s0", null, null), open("s1", "s0", null))))
        .as("the child is not held back by a parent nobody will read")
        .containsExactly(start("s1", ShardIteratorType.LATEST));
    assertThat(lineage.phases()).containsEntry("s0", Phase.SKIPPED);
  }

  private ShardLineage lineage(StartPosition position) {
    return new ShardLineage("audit", position, publisher::committed);
  }

  private static ShardStart start(String id, ShardIteratorType type) {
    return new ShardStart(id, type, null);
  }

  private static Shard open(String id, String parent, String adjacent) {
    return Shard.builder()
        .shardId(id)
        .parentShardId(parent)
        .adjacentParentShardId(adjacent)
        .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber("1").build())
        .build();
  }

  private static Shard closed(String id, String parent, String adjacent) {
    return Shard.builder()
        .shardId(id)
        .parentShardId(parent)
        .adjacentParentShardId(adjacent)
        .sequenceNumberRange(
            SequenceNumberRange.builder()
                .startingSequenceNumber("1")
                .endingSequenceNumber("100")
                .build())
        .build();
  }
}
