package io.vigil.ingest.kinesis;

import io.vigil.ingest.publish.ConsumerProperties;
import io.vigil.ingest.publish.GroupFence;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shards shared by several instances reading one stream, through a Kafka consumer group: the lease
 * topic has {@link #LEASE_PARTITIONS} partitions and holds no records; shard {@code
 * shardId-000000000007} is leased by partition 7 (mod the partition count), and the group's
 * round-robin assignment spreads the partitions, so consecutive shards go to different instances.
 * When an instance joins or leaves, Kafka moves the leases.
 *
 * <p>Exactly once across a move: before giving a lease up, the instance stops that shard's reader
 * and waits for its unit in hand; each unit's transaction carries an offset for its lease under the
 * group's generation ({@link GroupFence}), so a reader that lost its lease without knowing it (a
 * long pause) cannot commit; and the new owner first asks the group for the lease's offset, which
 * waits for any transaction that carried it to end, then reads the checkpoints committed so far.
 */
public final class ShardLeases implements ShardOwnership {

  private static final Logger log = LoggerFactory.getLogger(ShardLeases.class);

  /** Partitions of a new lease topic: at most this many instances share a stream's shards. */
  public static final int LEASE_PARTITIONS = 12;

  private static final Duration POLL = Duration.ofMillis(250);
  // An instance that died gives its leases up this long after its last heartbeat.
  private static final int SESSION_TIMEOUT_MS = 10_000;

  private final Map<String, Object> clientProperties;
  private final String topic;
  private final String group;
  private final String clientId;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();

  private volatile ConsumerGroupMetadata generation;
  private volatile boolean closing;
  private volatile String failure;
  private int partitions;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  /**
   * @param clientProperties Kafka client settings (bootstrap servers, security)
   * @param topic the lease topic, created when missing
   * @param group the consumer group: the same for every instance reading the stream
   * @param clientId this instance's client id, for the broker's logs
   */
  public ShardLeases(
      Map<String, Object> clientProperties, String topic, String group, String clientId) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.topic = Objects.requireNonNull(topic, "topic");
    this.group = Objects.requireNonNull(group, "group");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
  }

  /** The lease partition of a shard: its number (the digits after the last dash), else a hash. */
  static int leaseOf(String shardId, int partitions) {
    int dash = shardId.lastIndexOf('-');
    String digits = shardId.substring(dash + 1);
    if (!digits.isEmpty() && digits.length() <= 18 && digits.chars().allMatch(Character::isDigit)) {
      return (int) (Long.parseLong(digits) % partitions);
    }
    return Math.floorMod(shardId.hashCode(), partitions);
  }

  @Override
  public synchronized void start(Changes changes) {
    if (thread != null) {
      throw new IllegalStateException("shard leases on " + topic + " were already started");
    }
    partitions = ensureTopic();
    consumer =
        new KafkaConsumer<>(
            consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(Set.of(topic), new Listener(changes));
    thread = new Thread(this::run, "vigil-kinesis-leases-" + group);
    thread.setDaemon(true);
    thread.start();
    log.info("Kinesis shard leases: group {} on {} ({} leases)", group, topic, partitions);
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public boolean owns(String shardId) {
    return partitions > 0 && owned.contains(leaseOf(shardId, partitions));
  }

  @Override
  public Optional<GroupFence> fence(String shardId) {
    ConsumerGroupMetadata current = generation;
    if (current == null || !owns(shardId)) {
      return Optional.empty();
    }
    return Optional.of(
        new GroupFence(current, new TopicPartition(topic, leaseOf(shardId, partitions))));
  }

  @Override
  public Optional<String> problem() {
    return Optional.ofNullable(failure);
  }

  /** The lease partitions this instance holds now. */
  public Set<Integer> held() {
    return Set.copyOf(owned);
  }

  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      running = closing ? null : thread;
      closing = true;
    }
    if (running == null) {
      return;
    }
    consumer.wakeup();
    try {
      running.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (!closing) {
        consumer.poll(POLL);
        // Read here, in the consumer's own thread; readers take it from the field.
        generation = consumer.groupMetadata();
      }
    } catch (WakeupException e) {
      if (!closing) {
        log.error("Kinesis shard leases of group {} woken up unexpectedly", group, e);
      }
    } catch (RuntimeException e) {
      failure = "Kinesis shard leases of group " + group + " failed: " + e;
      log.error("{}; this instance reads no shard until it restarts", failure, e);
    } finally {
      // Leaving the group (revoking what is held) hands the leases over at once.
      try {
        consumer.close(Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        log.debug("Closing the lease consumer of group {} failed", group, e);
      }
      owned.clear();
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = ConsumerProperties.from(clientProperties);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    // Committed offsets are asked with require_stable: they wait for open transactions.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RoundRobinAssignor.class.getName());
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 4);
    return config;
  }

  // The lease topic carries no records, only the group's offsets, so it takes the broker's
  // default replication: losing its leader does not stop the group's assignment.
  private int ensureTopic() {
    try (Admin admin = Admin.create(clientProperties)) {
      try {
        admin
            .createTopics(
                Set.of(new NewTopic(topic, Optional.of(LEASE_PARTITIONS), Optional.empty())))
            .all()
            .get(30, TimeUnit.SECONDS);
        log.info("Created the Kinesis lease topic {} with {} partitions", topic, LEASE_PARTITIONS);
        return LEASE_PARTITIONS;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create the Kinesis lease topic " + topic + ": " + e.getCause().getMessage(),
              e.getCause());
        }
      }
      // Created by another instance a moment ago, its metadata may not have reached every broker.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          return admin
              .describeTopics(Set.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
              || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(200);
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the Kinesis lease topic " + topic + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating the Kinesis lease topic " + topic, e);
    }
  }

  private final class Listener implements ConsumerRebalanceListener {

    private final Changes changes;

    Listener(Changes changes) {
      this.changes = changes;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      release(revoked, "revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      release(lost, "lost");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (assigned.isEmpty()) {
        return;
      }
      awaitEndedTransactions(assigned);
      // Until the checkpoints are read: a shard must not resume from an older one.
      while (!closing) {
        try {
          changes.acquiring();
          break;
        } catch (RuntimeException e) {
          log.warn(
              "Kinesis shard leases of group {}: reading the checkpoints failed, retrying",
              group,
              e);
          pause();
        }
      }
      generation = consumer.groupMetadata();
      Set<Integer> numbers = numbers(assigned);
      owned.addAll(numbers);
      log.info("Kinesis shard leases of group {}: holding {}", group, new TreeSet<>(owned));
      changes.acquired();
    }

    private void release(Collection<TopicPartition> leases, String how) {
      if (leases.isEmpty()) {
        return;
      }
      Set<Integer> numbers = numbers(leases);
      owned.removeAll(numbers);
      changes.released(shard -> numbers.contains(leaseOf(shard, partitions)));
      log.info("Kinesis shard leases of group {}: {} {}", group, how, new TreeSet<>(numbers));
    }

    // Fetching committed offsets with read_committed sets require_stable: the coordinator answers
    // only once no transaction that carried an offset of these leases is open any more.
    private void awaitEndedTransactions(Collection<TopicPartition> leases) {
      while (!closing) {
        try {
          consumer.committed(new HashSet<>(leases), Duration.ofSeconds(30));
          return;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          log.info(
              "Kinesis shard leases of group {}: still waiting for the previous owner's open"
                  + " transaction to end",
              group);
        }
      }
    }

    private void pause() {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closing = true;
      }
    }

    private Set<Integer> numbers(Collection<TopicPartition> leases) {
      Set<Integer> numbers = new HashSet<>();
      for (TopicPartition lease : leases) {
        numbers.add(lease.partition());
      }
      return numbers;
    }
  }
}
