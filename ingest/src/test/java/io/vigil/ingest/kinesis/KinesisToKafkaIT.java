package io.vigil.ingest.kinesis;

import static io.vigil.ingest.kinesis.KinesisPayloads.cloudTrailEvent;
import static io.vigil.ingest.kinesis.KinesisPayloads.cloudWatchControl;
import static io.vigil.ingest.kinesis.KinesisPayloads.cloudWatchData;
import static io.vigil.ingest.kinesis.KinesisPayloads.flowLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.support.IngestTopics;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.IngestCheckpoint;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The Kinesis source end to end: the kinesis-local emulator, the real decoders ({@link
 * AwsLogDecoder}) and the transactional Kafka publisher on the in-process broker, read back with
 * {@code read_committed} as downstream consumers read.
 */
@ExtendWith(InProcessKafkaExtension.class)
class KinesisToKafkaIT {

  @RegisterExtension static final KinesisLocal KINESIS = new KinesisLocal();

  private static final BigInteger LOW = BigInteger.ONE;
  private static final BigInteger HIGH = KinesisSourceLoopIT.MIDDLE.add(BigInteger.ONE);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> eventIds = new ArrayList<>();
  private final List<String> flowSources = new ArrayList<>();

  @Test
  void cloudWatchAndRawRecordsArriveOnceInShardOrderAcrossASplit(KafkaCluster kafka)
      throws Exception {
    String stream = "k2k-split";
    KINESIS.createStream(stream, 1);
    IngestTopics kafkaTopics = IngestTopics.create(kafka);
    VigilTopics topics = kafkaTopics.topics();
    String parent =
        KINESIS.client().listShards(r -> r.streamName(stream)).shards().get(0).shardId();
    Map<String, String> shardOfPrefix = new HashMap<>();
    shardOfPrefix.put("p", parent);
    putMix(stream, "p", 0, LOW);
    putMix(stream, "p", 1, HIGH);

    try (var publisher =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "kinesis-split", topics, meters);
        var source =
            new KinesisSource(settings(stream), KINESIS.client(), publisher, new AwsLogDecoder())) {
      source.start();
      await(() -> kafkaTopics.readCommitted(topics.cloudtrail()).size() == eventIds.size());

      KINESIS
          .client()
          .splitShard(
              r ->
                  r.streamName(stream)
                      .shardToSplit(parent)
                      .newStartingHashKey(KinesisSourceLoopIT.MIDDLE.toString()));
      KINESIS.awaitActive(stream);
      List<Shard> shards = KINESIS.client().listShards(r -> r.streamName(stream)).shards();
      shardOfPrefix.put("low", KinesisSourceLoopIT.child(shards, parent, false).shardId());
      shardOfPrefix.put("high", KinesisSourceLoopIT.child(shards, parent, true).shardId());
      for (int round = 0; round < 2; round++) {
        putMix(stream, "low", round, LOW);
        putMix(stream, "high", round, HIGH);
      }

      await(
          () ->
              kafkaTopics.readCommitted(topics.cloudtrail()).size() == eventIds.size()
                  && kafkaTopics.readCommitted(topics.vpcflow()).size() == flowSources.size());
      Thread.sleep(300);
    }

    List<ConsumerRecord<String, CloudTrailEvent>> events =
        kafkaTopics.readCommitted(topics.cloudtrail());
    assertThat(events)
        .extracting(ConsumerRecord::key)
        .as("every CloudTrail event once")
        .containsExactlyInAnyOrderElementsOf(eventIds);
    assertThat(kafkaTopics.values(topics.vpcflow()))
        .extracting(f -> f.getSrcaddr())
        .as("every flow record once")
        .containsExactlyInAnyOrderElementsOf(flowSources);
    assertThat(kafkaTopics.readCommitted(topics.dlq()))
        .as("control messages are no rejection")
        .isEmpty();
    assertShardOrder(stream, events, shardOfPrefix);
    assertParentEndedBeforeChildren(
        kafkaTopics.values(topics.checkpoints()),
        stream,
        parent,
        shardOfPrefix.get("low"),
        shardOfPrefix.get("high"));
  }

  @Test
  void stoppedAndRestartedSourceResumesFromTheCheckpointWithoutDuplicates(KafkaCluster kafka)
      throws Exception {
    String stream = "k2k-restart";
    KINESIS.createStream(stream, 1);
    IngestTopics kafkaTopics = IngestTopics.create(kafka);
    VigilTopics topics = kafkaTopics.topics();
    String shard = KINESIS.client().listShards(r -> r.streamName(stream)).shards().get(0).shardId();
    String key = KinesisSourceLoopIT.key(stream, shard);
    for (int round = 0; round < 6; round++) {
      putMix(stream, "a", round, LOW);
    }

    try (var publisher =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "kinesis-restart", topics, meters);
        var source =
            new KinesisSource(settings(stream), KINESIS.client(), publisher, new AwsLogDecoder())) {
      source.start();
      // Stopped part-way: some batches committed, the rest not yet read.
      await(() -> publisher.committed(key).isPresent());
    }
    int beforeRestart = kafkaTopics.readCommitted(topics.cloudtrail()).size();
    for (int round = 0; round < 2; round++) {
      putMix(stream, "b", round, LOW);
    }

    long started = System.nanoTime();
    try (var publisher =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "kinesis-restart", topics, meters);
        var source =
            new KinesisSource(settings(stream), KINESIS.client(), publisher, new AwsLogDecoder())) {
      source.start();
      await(
          () ->
              kafkaTopics.readCommitted(topics.cloudtrail()).size() >= eventIds.size()
                  && kafkaTopics.readCommitted(topics.vpcflow()).size() >= flowSources.size());
      Thread.sleep(300);
    }
    System.out.printf(
        "restart: %d of %d events were in before the stop; the rest in %d ms%n",
        beforeRestart, eventIds.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());

    assertThat(kafkaTopics.readCommitted(topics.cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrderElementsOf(eventIds);
    assertThat(kafkaTopics.values(topics.vpcflow()))
        .extracting(f -> f.getSrcaddr())
        .containsExactlyInAnyOrderElementsOf(flowSources);
    List<IngestCheckpoint> checkpoints = kafkaTopics.values(topics.checkpoints());
    assertThat(checkpoints)
        .extracting(IngestCheckpoint::getPublisher)
        .containsOnly("kinesis-restart");
    assertThat(checkpoints)
        .extracting(c -> new BigInteger(c.getVersion()))
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void kplAggregatedRecordsArriveAsTheirUserRecordsAndABrokenAggregateIsRejectedWithItsLocation(
      KafkaCluster kafka) throws Exception {
    String stream = "k2k-kpl";
    KINESIS.createStream(stream, 1);
    IngestTopics kafkaTopics = IngestTopics.create(kafka);
    VigilTopics topics = kafkaTopics.topics();
    String shard = KINESIS.client().listShards(r -> r.streamName(stream)).shards().get(0).shardId();
    // A log shipper with KPL aggregation on: two CloudTrail events and a flow line in one record.
    put(
        stream,
        KplAggregates.pack(
            List.of(
                cloudTrailEvent("kpl-1").getBytes(StandardCharsets.UTF_8),
                cloudTrailEvent("kpl-2").getBytes(StandardCharsets.UTF_8),
                flowLine("10.9.9.9").getBytes(StandardCharsets.UTF_8))),
        LOW);
    // Signed but cut short: a producer bug, which must not stop the shard.
    byte[] whole =
        KplAggregates.pack(List.of(cloudTrailEvent("kpl-lost").getBytes(StandardCharsets.UTF_8)));
    byte[] protobuf = java.util.Arrays.copyOfRange(whole, 4, whole.length - 16 - 3);
    java.io.ByteArrayOutputStream broken = new java.io.ByteArrayOutputStream();
    broken.write(whole, 0, 4);
    broken.write(protobuf);
    broken.write(java.security.MessageDigest.getInstance("MD5").digest(protobuf));
    put(stream, broken.toByteArray(), LOW);
    put(stream, cloudTrailEvent("kpl-after").getBytes(StandardCharsets.UTF_8), LOW);

    try (var publisher =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "kinesis-kpl", topics, meters);
        var source =
            new KinesisSource(settings(stream), KINESIS.client(), publisher, new AwsLogDecoder())) {
      source.start();
      await(
          () ->
              kafkaTopics.readCommitted(topics.cloudtrail()).size() >= 3
                  && !kafkaTopics.readCommitted(topics.dlq()).isEmpty());
    }

    // Keyed by eventID, so spread over partitions: the order within the shard is checked elsewhere.
    assertThat(kafkaTopics.readCommitted(topics.cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("kpl-1", "kpl-2", "kpl-after");
    assertThat(kafkaTopics.values(topics.vpcflow()))
        .extracting(f -> f.getSrcaddr())
        .containsExactly("10.9.9.9");
    var dead = kafkaTopics.values(topics.dlq());
    assertThat(dead)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getReason()).isEqualTo("kpl_aggregate_malformed");
              assertThat(r.getSourceLocation())
                  .startsWith("kinesis://" + stream + "/" + shard + "/");
            });
  }

  /**
   * One of each kind of record, in this order: a CloudWatch Logs payload of two CloudTrail events,
   * a CloudWatch Logs control message, a raw CloudTrail event, a raw flow log line.
   */
  private void putMix(String stream, String prefix, int round, BigInteger hashKey) {
    String a = prefix + "-" + round + "-cwl-1";
    String b = prefix + "-" + round + "-cwl-2";
    String raw = prefix + "-" + round + "-raw";
    String flowSource = "10." + (prefix.hashCode() & 0x7f) + "." + round + ".1";
    put(stream, cloudWatchData(List.of(a, b)), hashKey);
    put(stream, cloudWatchControl(), hashKey);
    put(stream, cloudTrailEvent(raw).getBytes(StandardCharsets.UTF_8), hashKey);
    put(stream, flowLine(flowSource).getBytes(StandardCharsets.UTF_8), hashKey);
    eventIds.addAll(List.of(a, b, raw));
    flowSources.add(flowSource);
  }

  private static void put(String stream, byte[] data, BigInteger hashKey) {
    KINESIS
        .client()
        .putRecord(
            r ->
                r.streamName(stream)
                    .partitionKey("pk")
                    .explicitHashKey(hashKey.toString())
                    .data(SdkBytes.fromByteArray(data)));
  }

  private static KinesisSettings settings(String stream) {
    return KinesisSettings.forStream(stream)
        .withAws(KINESIS.aws())
        .withPollInterval(Duration.ofMillis(100))
        .withShardListInterval(Duration.ofMillis(500))
        .withMaxRecordsPerCall(3)
        .withReaderThreads(2);
  }

  /**
   * Within each Kafka partition, the events of one shard are in the order of their sequence numbers
   * (the order they were committed in), and each came from the shard its name says.
   */
  private static void assertShardOrder(
      String stream,
      List<ConsumerRecord<String, CloudTrailEvent>> events,
      Map<String, String> shardOfPrefix) {
    Map<String, BigInteger> lastSequence = new HashMap<>();
    for (ConsumerRecord<String, CloudTrailEvent> record : events) {
      String location = record.value().getIngest().getLocation();
      assertThat(location).startsWith("kinesis://" + stream + "/");
      String[] parts = location.substring(("kinesis://" + stream + "/").length()).split("[/#]");
      String shard = parts[0];
      BigInteger sequence = new BigInteger(parts[1]);
      String prefix = record.key().substring(0, record.key().indexOf('-'));
      assertThat(shard).as("shard of %s", record.key()).isEqualTo(shardOfPrefix.get(prefix));
      String lane = record.partition() + "/" + shard;
      BigInteger previous = lastSequence.put(lane, sequence);
      if (previous != null) {
        assertThat(sequence)
            .as("sequence order of %s in %s", record.key(), lane)
            .isGreaterThanOrEqualTo(previous);
      }
    }
  }

  private static void assertParentEndedBeforeChildren(
      List<IngestCheckpoint> checkpoints, String stream, String parent, String... children) {
    String parentKey = KinesisSourceLoopIT.key(stream, parent);
    List<IngestCheckpoint> ofParent =
        checkpoints.stream().filter(c -> c.getKey().equals(parentKey)).toList();
    assertThat(ofParent).extracting(c -> new BigInteger(c.getVersion())).isSorted();
    IngestCheckpoint end = ofParent.get(ofParent.size() - 1);
    assertThat(end.getAttributes()).containsEntry("shard_end", "true");
    for (String child : children) {
      List<IngestCheckpoint> ofChild =
          checkpoints.stream()
              .filter(c -> c.getKey().equals(KinesisSourceLoopIT.key(stream, child)))
              .toList();
      assertThat(ofChild).isNotEmpty();
      Instant firstChildCommit = ofChild.get(0).getCommittedAt();
      assertThat(end.getCommittedAt())
          .as("parent end before child %s", child)
          .isBeforeOrEqualTo(firstChildCommit);
      assertThat(ofChild).extracting(c -> new BigInteger(c.getVersion())).isSorted();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    KinesisSourceLoopIT.await(condition);
  }
}
