package io.vigil.ingest.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.IngestCheckpoint;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once {@link UnitPublisher}: an idempotent, transactional Kafka producer (acks=all)
 * that writes a unit's CloudTrail events, flow records and rejections and its {@link
 * IngestCheckpoint} in one transaction.
 *
 * <p>The caller gives a stable {@code transactional.id} per ingester instance (for example {@code
 * vigil-ingest-<host or pod ordinal>}): starting a new publisher with the same id fences the
 * producer of a previous, possibly still running, incarnation and aborts its open transaction, so a
 * zombie can never commit after its replacement started.
 *
 * <p>{@link #committed} is served from memory: at start the checkpoint topic is read to its end
 * with {@code read_committed} (after fencing, so no transaction of ours is still open), and every
 * commit updates the map; {@link #refreshCommitted} reads on to learn of other publishers' commits
 * (Kinesis shards that moved between instances). Units are committed one at a time ({@link
 * #publish} is synchronized); sources that read in parallel share one publisher or use one each,
 * with distinct ids.
 */
public final class TransactionalUnitPublisher implements UnitPublisher {

  private static final Logger log = LoggerFactory.getLogger(TransactionalUnitPublisher.class);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);
  private static final String FENCED =
      "was fenced by a newer instance with the same transactional.id";

  private final Map<String, Object> clientProperties;
  private final String transactionalId;
  private final VigilTopics topics;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final Map<String, Checkpoint> committed = new ConcurrentHashMap<>();
  private final Serializer<String> keys;
  private final Serializer<CloudTrailEvent> cloudTrailValues;
  private final Serializer<FlowRecord> flowValues;
  private final Serializer<Rejected> rejectedValues;
  private final Serializer<IngestCheckpoint> checkpointValues;

  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> checkpointReader;
  // Set once the producer is in a fatal state (fenced, or an abort that failed). It is not
  // replaced automatically: a new producer would fence the instance that fenced this one.
  private String broken;
  private boolean closed;

  private TransactionalUnitPublisher(
      Map<String, Object> clientProperties,
      String transactionalId,
      VigilTopics topics,
      MeterRegistry meters,
      Clock clock) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.transactionalId = transactionalId;
    this.topics = topics;
    this.metrics = new IngestMetrics(meters);
    this.clock = clock;
    this.keys = topics.cloudtrail().keySerde().serializer();
    this.cloudTrailValues = topics.cloudtrail().valueSerde().serializer();
    this.flowValues = topics.vpcflow().valueSerde().serializer();
    this.rejectedValues = topics.dlq().valueSerde().serializer();
    this.checkpointValues = topics.checkpoints().valueSerde().serializer();
  }

  /**
   * Starts a publisher: fences earlier producers with the same id, then loads the committed
   * checkpoints. The checkpoint topic must exist (the runtime's topic provisioner creates it,
   * compacted); it is never auto-created here, since an auto-created topic would not be compacted.
   *
   * @param clientProperties Kafka client settings (bootstrap servers, security); producer settings
   *     that exactly-once depends on are set here and override these
   * @param transactionalId stable per ingester instance, the same after a restart
   */
  public static TransactionalUnitPublisher start(
      Map<String, Object> clientProperties,
      String transactionalId,
      VigilTopics topics,
      MeterRegistry meters) {
    return start(clientProperties, transactionalId, topics, meters, Clock.systemUTC());
  }

  /**
   * As {@link #start(Map, String, VigilTopics, MeterRegistry)}, with the clock for metrics and
   * checkpoints.
   */
  public static TransactionalUnitPublisher start(
      Map<String, Object> clientProperties,
      String transactionalId,
      VigilTopics topics,
      MeterRegistry meters,
      Clock clock) {
    if (transactionalId == null || transactionalId.isBlank()) {
      throw new IllegalArgumentException("a transactional.id is required");
    }
    TransactionalUnitPublisher publisher =
        new TransactionalUnitPublisher(clientProperties, transactionalId, topics, meters, clock);
    try {
      publisher.producer = publisher.newProducer();
      publisher.loadCheckpoints();
      return publisher;
    } catch (RuntimeException e) {
      publisher.close();
      throw e;
    }
  }

  @Override
  public synchronized Optional<String> problem() {
    if (broken == null) {
      return Optional.empty();
    }
    return Optional.of(
        "publisher "
            + transactionalId
            + " "
            + broken
            + (broken.equals(FENCED)
                ? " (two instances with one ingest.transactional.id fence each other: give each its"
                    + " own)"
                : "")
            + "; restart the ingester");
  }

  /** The transactional.id this publisher fences and commits with. */
  public String transactionalId() {
    return transactionalId;
  }

  @Override
  public Optional<Checkpoint> committed(String key) {
    return Optional.ofNullable(committed.get(key));
  }

  @Override
  public List<Checkpoint> committedMatching(Predicate<Checkpoint> which) {
    return committed.values().stream().filter(which).toList();
  }

  @Override
  public PublishResult publish(Checkpoint checkpoint, UnitBody body) throws PublishException {
    return publishUnit(checkpoint, body, null);
  }

  @Override
  public PublishResult publish(Checkpoint checkpoint, UnitBody body, GroupFence fence)
      throws PublishException {
    return publishUnit(checkpoint, body, Objects.requireNonNull(fence, "fence"));
  }

  @Override
  public synchronized void refreshCommitted() {
    if (closed || checkpointReader == null) {
      return;
    }
    int before = committed.size();
    readCheckpoints();
    log.debug(
        "Publisher {} refreshed its checkpoints: {} known, {} before",
        transactionalId,
        committed.size(),
        before);
  }

  private synchronized PublishResult publishUnit(
      Checkpoint checkpoint, UnitBody body, GroupFence fence) throws PublishException {
    if (closed) {
      throw new IllegalStateException("publisher " + transactionalId + " is closed");
    }
    if (broken != null) {
      throw new PublishException(
          "publisher "
              + transactionalId
              + " "
              + broken
              + "; it publishes no more, restart the ingester",
          null);
    }
    String source = sourceKind(checkpoint.key());
    long started = System.nanoTime();
    UnitWriter writer = new UnitWriter();
    try {
      producer.beginTransaction();
      body.writeTo(writer);
      writer.failIfSendFailed();
      Checkpoint done = checkpoint.withRecords(writer.cloudTrail + writer.flow);
      IngestCheckpoint value =
          IngestCheckpoint.newBuilder()
              .setKey(done.key())
              .setVersion(done.version())
              .setRecords(done.records())
              .setRejected(writer.rejected)
              .setCommittedAt(clock.instant())
              .setPublisher(transactionalId)
              .setAttributes(done.attributes())
              .build();
      writer.send(topics.checkpoints(), done.key(), checkpointValues, value);
      if (fence != null) {
        // Last before the commit: the window in which a pending lease offset makes the lease's
        // next owner wait is then as short as it can be.
        producer.sendOffsetsToTransaction(
            Map.of(fence.lease(), new OffsetAndMetadata(0)), fence.group());
      }
      producer.commitTransaction();
      committed.put(done.key(), done);
    } catch (IOException | RuntimeException e) {
      metrics.aborted(source);
      if (isFenced(e)) {
        broken = FENCED;
        discardProducer();
      } else {
        // With transactions v2 a fenced producer first sees an old-epoch error on send; the
        // abort then reports the fencing.
        abort();
      }
      throw new PublishException(
          "unit "
              + checkpoint.key()
              + " not committed: "
              + (broken != null ? "publisher " + transactionalId + " " + broken : e.toString()),
          e);
    }
    Instant now = clock.instant();
    Map<String, long[]> volume = new HashMap<>();
    Map<String, Duration> delay = new HashMap<>();
    if (writer.cloudTrail > 0) {
      volume.put(VigilTopics.CLOUDTRAIL, new long[] {writer.cloudTrail, writer.cloudTrailBytes});
      delay.put(
          VigilTopics.CLOUDTRAIL,
          Duration.between(Instant.ofEpochMilli(writer.newestCloudTrailMillis), now));
    }
    if (writer.flow > 0) {
      volume.put(VigilTopics.VPCFLOW, new long[] {writer.flow, writer.flowBytes});
      if (writer.newestFlowSeconds > 0) {
        delay.put(
            VigilTopics.VPCFLOW,
            Duration.between(Instant.ofEpochSecond(writer.newestFlowSeconds), now));
      }
    }
    metrics.committed(
        source,
        volume,
        writer.rejectsByReason,
        Duration.ofNanos(System.nanoTime() - started),
        delay);
    return new PublishResult(writer.cloudTrail, writer.flow, writer.rejected);
  }

  @Override
  public synchronized void close() {
    closed = true;
    discardProducer();
    if (checkpointReader != null) {
      checkpointReader.close(Duration.ofSeconds(5));
      checkpointReader = null;
    }
  }

  private void abort() {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      // A fatal producer state, not an abortable one. The open transaction is aborted by the
      // broker on timeout, or at once by the next instance's initTransactions.
      broken = isFenced(e) ? FENCED : "failed fatally: " + e;
      log.error("Publisher {} {}; it publishes no more", transactionalId, broken);
      discardProducer();
    }
  }

  private static boolean isFenced(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException) {
        return true;
      }
    }
    return false;
  }

  private void discardProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("Closing the producer of {} failed", transactionalId, e);
      }
      producer = null;
    }
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    // A large object is one transaction; the default minute is too short for a slow S3 read.
    config.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(config);
    try {
      created.initTransactions();
    } catch (RuntimeException e) {
      created.close(Duration.ZERO);
      throw e;
    }
    return created;
  }

  // Keeps its consumer: refreshCommitted reads on from where this stopped.
  private void loadCheckpoints() {
    Topic<String, IngestCheckpoint> topic = topics.checkpoints();
    Map<String, Object> config = ConsumerProperties.from(clientProperties);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-checkpoints");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    checkpointReader =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> infos =
          checkpointReader.partitionsFor(topic.name(), Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "checkpoint topic "
                + topic.name()
                + " does not exist; create it (cleanup.policy=compact) before starting ingest");
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      checkpointReader.assign(partitions);
      checkpointReader.seekToBeginning(partitions);
    } catch (AuthorizationException e) {
      throw new IllegalStateException("not allowed to read checkpoint topic " + topic.name(), e);
    }
    readCheckpoints();
    log.info(
        "Publisher {} loaded {} committed checkpoints from {}",
        transactionalId,
        committed.size(),
        topic.name());
  }

  private void readCheckpoints() {
    Topic<String, IngestCheckpoint> topic = topics.checkpoints();
    var values = topic.valueSerde().deserializer();
    KafkaConsumer<byte[], byte[]> consumer = checkpointReader;
    try {
      Set<TopicPartition> partitions = consumer.assignment();
      // With read_committed these are the last stable offsets: everything committed so far.
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "checkpoint topic "
                  + topic.name()
                  + " could not be read to its end within "
                  + LOAD_TIMEOUT);
        }
        try {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            String key =
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (key == null) {
              continue;
            }
            if (record.value() == null) {
              committed.remove(key);
              continue;
            }
            try {
              IngestCheckpoint value = values.deserialize(topic.name(), record.value());
              committed.put(
                  key,
                  new Checkpoint(
                      value.getKey(),
                      value.getVersion(),
                      value.getRecords(),
                      value.getAttributes()));
            } catch (KafkaException e) {
              // An unreadable checkpoint only means that unit may be done again.
              log.warn(
                  "Skipping unreadable checkpoint {} at {}-{}@{}",
                  key,
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  e);
            }
          }
        } catch (RecordDeserializationException e) {
          consumer.seek(e.topicPartition(), e.offset() + 1);
        }
      }
    } catch (AuthorizationException e) {
      throw new IllegalStateException("not allowed to read checkpoint topic " + topic.name(), e);
    }
  }

  /** The kind of source a unit key names, a bounded metric tag. */
  static String sourceKind(String key) {
    int colon = key.indexOf(':');
    String scheme = colon > 0 ? key.substring(0, colon) : "";
    return switch (scheme) {
      case "s3", "kinesis", "file", "sqs" -> scheme;
      default -> "other";
    };
  }

  /**
   * Sends a unit's records inside the open transaction. Keys: a CloudTrail event's {@code eventID},
   * a flow record's {@code srcaddr} (its interface id when there is none), a rejection's source
   * location; so a redelivered record lands on the partition where its duplicate is caught.
   */
  private final class UnitWriter implements DecodeListener {
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final Map<String, Long> rejectsByReason = new HashMap<>();
    long cloudTrail;
    long cloudTrailBytes;
    long newestCloudTrailMillis;
    long flow;
    long flowBytes;
    long newestFlowSeconds;
    long rejected;

    @Override
    public void cloudTrail(CloudTrailEvent event, String position) {
      cloudTrailBytes += send(topics.cloudtrail(), event.getEventID(), cloudTrailValues, event);
      cloudTrail++;
      Instant time = event.getEventTimeMillis();
      if (time != null) {
        newestCloudTrailMillis = Math.max(newestCloudTrailMillis, time.toEpochMilli());
      }
    }

    @Override
    public void flow(FlowRecord record, String position) {
      String key = record.getSrcaddr() != null ? record.getSrcaddr() : record.getInterfaceId();
      flowBytes += send(topics.vpcflow(), key, flowValues, record);
      flow++;
      if (record.getEnd() != null) {
        newestFlowSeconds = Math.max(newestFlowSeconds, record.getEnd());
      }
    }

    @Override
    public void rejected(Rejected record) {
      send(topics.dlq(), record.getSourceLocation(), rejectedValues, record);
      rejected++;
      rejectsByReason.merge(record.getReason(), 1L, Long::sum);
    }

    <V> int send(Topic<String, V> topic, String key, Serializer<V> serializer, V value) {
      failIfSendFailed();
      byte[] bytes = serializer.serialize(topic.name(), value);
      producer.send(
          new ProducerRecord<>(
              topic.name(), key == null ? null : keys.serialize(topic.name(), key), bytes),
          (metadata, e) -> {
            if (e != null) {
              sendFailure.compareAndSet(null, e);
            }
          });
      return bytes.length;
    }

    void failIfSendFailed() {
      Exception e = sendFailure.get();
      if (e != null) {
        throw new KafkaException("a record of the unit was not accepted: " + e.getMessage(), e);
      }
    }
  }
}
