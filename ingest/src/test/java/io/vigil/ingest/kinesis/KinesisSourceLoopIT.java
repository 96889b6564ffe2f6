package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.publish.Checkpoint;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The GetRecords loop against the kinesis-local emulator (the real Kinesis wire protocol through
 * the real SDK), with the in-memory publisher and text decoder test doubles, so that what is
 * checked here is the loop alone: shard discovery, a split while reading, parents before children,
 * resuming from checkpoints. {@code KinesisToKafkaIT} runs the same source with the real decoders
 * and the Kafka publisher.
 */
class KinesisSourceLoopIT {

  @RegisterExtension static final KinesisLocal KINESIS = new KinesisLocal();

  /** Half of the 128-bit hash key space: where a split puts the boundary between two children. */
  static final BigInteger MIDDLE = BigInteger.ONE.shiftLeft(127);

  private final InMemoryPublisher publisher = new InMemoryPublisher();

  @Test
  void splitWhileReadingDeliversEveryRecordOnceParentBeforeChildren() throws Exception {
    String stream = "loop-split";
    KINESIS.createStream(stream, 1);
    KinesisClient client = KINESIS.client();
    String parent = client.listShards(r -> r.streamName(stream)).shards().get(0).shardId();
    List<String> before = put(stream, "p", 0, 30, BigInteger.ONE);

    try (KinesisSource source = newSource(stream)) {
      source.start();
      await(() -> publisher.records(key(stream, parent)).size() == before.size());

      client.splitShard(
          r -> r.streamName(stream).shardToSplit(parent).newStartingHashKey(MIDDLE.toString()));
      KINESIS.awaitActive(stream);
      List<Shard> shards = client.listShards(r -> r.streamName(stream)).shards();
      Shard low = child(shards, parent, false);
      Shard high = child(shards, parent, true);
      List<String> lowRecords = put(stream, "low", 0, 20, BigInteger.ONE);
      List<String> highRecords = put(stream, "high", 0, 20, MIDDLE.add(BigInteger.ONE));

      await(
          () ->
              publisher.records(key(stream, low.shardId())).size() == lowRecords.size()
                  && publisher.records(key(stream, high.shardId())).size() == highRecords.size());

      assertThat(publisher.records(key(stream, parent))).containsExactlyElementsOf(before);
      assertThat(publisher.records(key(stream, low.shardId())))
          .containsExactlyElementsOf(lowRecords);
      assertThat(publisher.records(key(stream, high.shardId())))
          .containsExactlyElementsOf(highRecords);
      assertThat(publisher.allRecords())
          .doesNotHaveDuplicates()
          .hasSize(before.size() + lowRecords.size() + highRecords.size());
      assertParentFinishedBeforeChildren(stream, parent, low.shardId(), high.shardId());
      assertThat(source.shardPhases())
          .containsEntry(parent, "finished")
          .containsEntry(low.shardId(), "reading")
          .containsEntry(high.shardId(), "reading");
    }
  }

  @Test
  void mergedShardIsReadAfterBothParentsWereReadToTheirEnd() throws Exception {
    String stream = "loop-merge";
    KINESIS.createStream(stream, 2);
    KinesisClient client = KINESIS.client();
    List<Shard> parents = client.listShards(r -> r.streamName(stream)).shards();
    String lowParent = parents.get(0).shardId();
    String highParent = parents.get(1).shardId();
    List<String> low = put(stream, "low", 0, 12, BigInteger.ONE);
    List<String> high = put(stream, "high", 0, 12, MIDDLE.add(BigInteger.ONE));
    client.mergeShards(
        r -> r.streamName(stream).shardToMerge(lowParent).adjacentShardToMerge(highParent));
    KINESIS.awaitActive(stream);
    Shard merged =
        client.listShards(r -> r.streamName(stream)).shards().stream()
            .filter(s -> lowParent.equals(s.parentShardId()))
            .findFirst()
            .orElseThrow();
    List<String> after = put(stream, "merged", 0, 12, BigInteger.ONE);

    try (KinesisSource source = newSource(stream)) {
      source.start();
      await(() -> publisher.records(key(stream, merged.shardId())).size() == after.size());
    }

    assertThat(publisher.records(key(stream, lowParent))).containsExactlyElementsOf(low);
    assertThat(publisher.records(key(stream, highParent))).containsExactlyElementsOf(high);
    assertThat(publisher.records(key(stream, merged.shardId()))).containsExactlyElementsOf(after);
    assertParentFinishedBeforeChildren(stream, lowParent, merged.shardId());
    assertParentFinishedBeforeChildren(stream, highParent, merged.shardId());
  }

  @Test
  void restartedSourceResumesFromTheCheckpointsWithoutDuplicates() throws Exception {
    String stream = "loop-restart";
    KINESIS.createStream(stream, 2);
    List<Shard> shards = KINESIS.client().listShards(r -> r.streamName(stream)).shards();
    List<String> first = new ArrayList<>();
    first.addAll(put(stream, "a", 0, 15, BigInteger.ONE));
    first.addAll(put(stream, "b", 0, 15, MIDDLE.add(BigInteger.ONE)));

    try (KinesisSource source = newSource(stream)) {
      source.start();
      await(() -> publisher.allRecords().size() == first.size());
    }
    int unitsBefore = publisher.units().size();
    List<String> second = new ArrayList<>();
    second.addAll(put(stream, "a", 15, 10, BigInteger.ONE));
    second.addAll(put(stream, "b", 15, 10, MIDDLE.add(BigInteger.ONE)));

    try (KinesisSource restarted = newSource(stream)) {
      restarted.start();
      await(() -> publisher.allRecords().size() == first.size() + second.size());
      Thread.sleep(500);
    }

    assertThat(publisher.allRecords())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(concat(first, second));
    assertThat(publisher.units().subList(unitsBefore, publisher.units().size()))
        .flatExtracting(InMemoryPublisher.Unit::records)
        .containsExactlyInAnyOrderElementsOf(second);
    for (Shard shard : shards) {
      String prefix =
          shard.parentShardId() == null && shard.hashKeyRange().startingHashKey().equals("0")
              ? "a-"
              : "b-";
      assertThat(publisher.records(key(stream, shard.shardId())))
          .allMatch(r -> r.startsWith(prefix))
          .isSorted();
    }
  }

  private KinesisSource newSource(String stream) {
    KinesisSettings settings =
        KinesisSettings.forStream(stream)
            .withAws(KINESIS.aws())
            .withPollInterval(Duration.ofMillis(100))
            .withShardListInterval(Duration.ofMillis(500))
            .withMaxRecordsPerCall(7)
            .withReaderThreads(2);
    return new KinesisSource(settings, KINESIS.client(), publisher, new TextDecoder());
  }

  private void assertParentFinishedBeforeChildren(
      String stream, String parent, String... children) {
    List<InMemoryPublisher.Unit> units = publisher.units();
    int parentEnd = -1;
    for (int i = 0; i < units.size(); i++) {
      Checkpoint c = units.get(i).checkpoint();
      if (c.key().equals(key(stream, parent)) && "true".equals(c.attributes().get("shard_end"))) {
        parentEnd = i;
      }
    }
    assertThat(parentEnd).as("the parent's end was committed").isNotNegative();
    for (String child : children) {
      for (int i = 0; i <= parentEnd; i++) {
        assertThat(units.get(i).checkpoint().key())
            .as("unit %d before the parent's end", i)
            .isNotEqualTo(key(stream, child));
      }
    }
  }

  /** Puts {@code count} records named {@code prefix-NNN} with one explicit hash key, in order. */
  static List<String> put(String stream, String prefix, int from, int count, BigInteger hashKey) {
    List<String> texts = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String text = String.format("%s-%03d", prefix, i);
      KINESIS
          .client()
          .putRecord(
              r ->
                  r.streamName(stream)
                      .partitionKey(text)
                      .explicitHashKey(hashKey.toString())
                      .data(SdkBytes.fromUtf8String(text)));
      texts.add(text);
    }
    return texts;
  }

  static Shard child(List<Shard> shards, String parent, boolean upperHalf) {
    return shards.stream()
        .filter(s -> parent.equals(s.parentShardId()))
        .filter(s -> upperHalf == new BigInteger(s.hashKeyRange().startingHashKey()).equals(MIDDLE))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no child of " + parent + " in " + shards));
  }

  static String key(String stream, String shardId) {
    return "kinesis://" + stream + "/" + shardId;
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      Thread.sleep(50);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
