package io.vigil.ingest.kinesis;

import static io.vigil.ingest.kinesis.KinesisPayloads.cloudTrailEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.GroupFence;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.support.IngestTopics;
import io.vigil.schemas.IngestCheckpoint;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Two instances sharing one stream through {@link ShardLeases}, on the kinesis-local emulator and
 * the in-process broker: the shards are split between them, a leaving instance's shards resume on
 * the other after its last commit, and every record arrives once.
 */
@ExtendWith(InProcessKafkaExtension.class)
class KinesisSharedIT {

  @RegisterExtension static final KinesisLocal KINESIS = new KinesisLocal();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> eventIds = new ArrayList<>();

  @Test
  void twoInstancesSplitTheShardsAndOneTakesAllWhenTheOtherLeaves(KafkaCluster kafka)
      throws Exception {
    String stream = "shared-" + UUID.randomUUID().toString().substring(0, 8);
    KINESIS.createStream(stream, 4);
    IngestTopics kafkaTopics = IngestTopics.create(kafka);
    VigilTopics topics = kafkaTopics.topics();
    List<Shard> shards = KINESIS.client().listShards(r -> r.streamName(stream)).shards();
    String leaseTopic = topics.checkpoints().name() + "-kinesis-leases";
    String group = leaseTopic + "." + stream;

    try (var publisherA =
            TransactionalUnitPublisher.start(kafka.clientProperties(), "shared-a", topics, meters);
        var publisherB =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "shared-b", topics, meters)) {
      ShardLeases leasesA = new ShardLeases(kafka.clientProperties(), leaseTopic, group, "a");
      ShardLeases leasesB = new ShardLeases(kafka.clientProperties(), leaseTopic, group, "b");
      KinesisSource sourceA = source(stream, publisherA, leasesA);
      KinesisSource sourceB = source(stream, publisherB, leasesB);
      try {
        sourceA.start();
        putRound(stream, shards, "alone");
        await(() -> committedIds(kafkaTopics, topics).size() == eventIds.size());
        assertThat(leasesA.held()).hasSize(ShardLeases.LEASE_PARTITIONS);

        sourceB.start();
        await(() -> !leasesA.held().isEmpty() && !leasesB.held().isEmpty());
        assertThat(leasesA.held()).doesNotContainAnyElementsOf(leasesB.held());
        Set<Integer> all = new HashSet<>(leasesA.held());
        all.addAll(leasesB.held());
        assertThat(all).hasSize(ShardLeases.LEASE_PARTITIONS);
        for (int round = 0; round < 3; round++) {
          putRound(stream, shards, "both-" + round);
        }
        await(() -> committedIds(kafkaTopics, topics).size() == eventIds.size());
        assertThat(publishersOf(kafkaTopics.values(topics.checkpoints())))
            .as("both instances read shards of the stream")
            .contains("shared-a", "shared-b");

        sourceA.close();
        await(() -> leasesB.held().size() == ShardLeases.LEASE_PARTITIONS);
        putRound(stream, shards, "after-a");
        await(() -> committedIds(kafkaTopics, topics).size() >= eventIds.size());
        Thread.sleep(500);
      } finally {
        sourceA.close();
        sourceB.close();
      }
    }

    assertThat(committedIds(kafkaTopics, topics))
        .as("every event once, across the move of the leases")
        .containsExactlyInAnyOrderElementsOf(eventIds);
    for (Shard shard : shards) {
      String key = KinesisSourceLoopIT.key(stream, shard.shardId());
      List<IngestCheckpoint> ofShard =
          kafkaTopics.values(topics.checkpoints()).stream()
              .filter(c -> c.getKey().equals(key))
              .toList();
      assertThat(ofShard)
          .as("the checkpoints of %s go forward whoever committed them", shard.shardId())
          .extracting(c -> new java.math.BigInteger(c.getVersion()))
          .isSorted()
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void aUnitFencedByALeaseItNoLongerHoldsIsNotCommitted(KafkaCluster kafka) throws Exception {
    IngestTopics kafkaTopics = IngestTopics.create(kafka);
    VigilTopics topics = kafkaTopics.topics();
    String leaseTopic = topics.checkpoints().name() + "-kinesis-leases";
    String group = leaseTopic + ".fenced";
    ShardLeases holder = new ShardLeases(kafka.clientProperties(), leaseTopic, group, "holder");
    try (var publisher =
        TransactionalUnitPublisher.start(kafka.clientProperties(), "fenced", topics, meters)) {
      holder.start(
          new ShardOwnership.Changes() {
            @Override
            public void released(java.util.function.Predicate<String> shards) {}

            @Override
            public void acquiring() {}

            @Override
            public void acquired() {}
          });
      await(() -> holder.fence("shardId-000000000000").isPresent());

      // A reader paused past its lease's move: its group generation is an old one.
      GroupFence stale =
          new GroupFence(
              new ConsumerGroupMetadata(group, 1_000, "gone-member", Optional.empty()),
              new TopicPartition(leaseTopic, 0));
      assertThatThrownBy(() -> publisher.publish(unit("zombie"), body("zombie-1"), stale))
          .isInstanceOf(PublishException.class);

      publisher.publish(
          unit("holder"), body("holder-1"), holder.fence("shardId-000000000000").get());
    } finally {
      holder.close();
    }

    assertThat(kafkaTopics.readCommitted(topics.cloudtrail()))
        .extracting(ConsumerRecord::key)
        .as("only the holder's unit is visible; the publisher went on after the refusal")
        .containsExactly("holder-1");
  }

  private static Checkpoint unit(String name) {
    return new Checkpoint("kinesis://fenced/" + name, "1", 1, Map.of());
  }

  private static io.vigil.ingest.publish.UnitBody body(String eventId) {
    return writer ->
        new AwsLogDecoder()
            .decode(
                new ByteArrayInputStream(cloudTrailEvent(eventId).getBytes(StandardCharsets.UTF_8)),
                SourceRef.kinesis("fenced", "shardId-000000000000", "1"),
                writer);
  }

  private static KinesisSource source(
      String stream, TransactionalUnitPublisher publisher, ShardLeases leases) {
    KinesisSettings settings =
        KinesisSettings.forStream(stream)
            .withAws(KINESIS.aws())
            .withPollInterval(Duration.ofMillis(100))
            .withShardListInterval(Duration.ofMillis(500))
            .withMaxRecordsPerCall(2)
            .withReaderThreads(2);
    return new KinesisSource(
        settings,
        KINESIS.client(),
        false,
        publisher,
        new AwsLogDecoder(),
        new java.util.SplittableRandom(),
        leases);
  }

  /** Three CloudTrail events into every shard, by an explicit hash key inside its range. */
  private void putRound(String stream, List<Shard> shards, String round) {
    for (Shard shard : shards) {
      for (int i = 0; i < 3; i++) {
        String id = round + "-" + shard.shardId() + "-" + i;
        KINESIS
            .client()
            .putRecord(
                r ->
                    r.streamName(stream)
                        .partitionKey("pk")
                        .explicitHashKey(shard.hashKeyRange().startingHashKey())
                        .data(SdkBytes.fromUtf8String(cloudTrailEvent(id))));
        eventIds.add(id);
      }
    }
  }

  private static List<String> committedIds(IngestTopics kafkaTopics, VigilTopics topics) {
    return kafkaTopics.readCommitted(topics.cloudtrail()).stream()
        .map(ConsumerRecord::key)
        .toList();
  }

  private static Set<String> publishersOf(List<IngestCheckpoint> checkpoints) {
    Set<String> publishers = new HashSet<>();
    checkpoints.forEach(c -> publishers.add(c.getPublisher()));
    return publishers;
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    KinesisSourceLoopIT.await(condition);
  }
}
