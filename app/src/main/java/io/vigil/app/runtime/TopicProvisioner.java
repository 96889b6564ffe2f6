package io.vigil.app.runtime;

import io.vigil.schemas.CleanupPolicy;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Vigil's topics ({@link VigilTopics}) that do not exist yet, with the configured
 * partitions, each topic's cleanup policy, and record timestamps set by the broker when it appends
 * them (so that retention runs from the time of writing, whatever event time the record is about).
 * Existing topics are left as they are: an operator may have tuned them.
 *
 * <p>Replication fits the cluster unless {@code topics.replication.factor} says otherwise: min(3,
 * brokers), and with three or more replicas {@code min.insync.replicas} 2, so that a write with
 * {@code acks=all} (every Vigil producer) survives the loss of one broker and stops, rather than
 * losing data, when two are down. The embedded single broker gets one replica.
 */
public final class TopicProvisioner {

  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  /** The most replicas Vigil gives a topic by itself. */
  static final int MAX_REPLICAS = 3;

  private final Admin admin;
  private final int partitions;
  private final OptionalInt replicationFactor;

  /** {@code replicationFactor} -1 means min(3, the cluster's brokers). */
  public TopicProvisioner(Admin admin, int partitions, int replicationFactor) {
    if (partitions < 1) {
      throw new IllegalArgumentException("topics.partitions must be at least 1, got " + partitions);
    }
    if (replicationFactor < 1 && replicationFactor != -1) {
      throw new IllegalArgumentException(
          "topics.replication.factor must be at least 1, or -1 for min(3, brokers), got "
              + replicationFactor);
    }
    this.admin = admin;
    this.partitions = partitions;
    this.replicationFactor =
        replicationFactor == -1 ? OptionalInt.empty() : OptionalInt.of(replicationFactor);
  }

  /** The replicas of a new topic: as configured, or min(3, brokers) on a cluster of that size. */
  static int replicasFor(OptionalInt configured, int brokers) {
    return configured.orElse(Math.max(1, Math.min(MAX_REPLICAS, brokers)));
  }

  /** The topic settings that go with {@code replicas}: min.insync.replicas 2 from 3 replicas. */
  static Map<String, String> replicationSettings(int replicas) {
    return replicas >= MAX_REPLICAS
        ? Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")
        : Map.of();
  }

  /** Creates the missing topics and returns the names it created. */
  public List<String> createMissing(VigilTopics topics) throws InterruptedException {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      int replicas = -1;
      for (Topic<?, ?> topic : topics.all()) {
        if (!existing.contains(topic.name())) {
          if (replicas == -1) {
            replicas =
                replicasFor(
                    replicationFactor,
                    admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
          }
          Map<String, String> settings = new HashMap<>(replicationSettings(replicas));
          settings.put(TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanupPolicy().configValue());
          // Kafka Streams stamps what it writes (alerts, posture, aggregates, late events) with
          // event time; an alert of logs backfilled from last month would be older than the
          // retention and deleted at the broker's next retention check, before a sink or the
          // console read it. Retention counts from when a record was written.
          settings.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
          if (topic.cleanupPolicy() == CleanupPolicy.RETAIN) {
            settings.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
            settings.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
          }
          missing.add(
              new NewTopic(topic.name(), Optional.of(partitions), Optional.of((short) replicas))
                  .configs(settings));
        }
      }
      List<String> created = new ArrayList<>();
      var results = admin.createTopics(missing).values();
      for (var entry : results.entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e; // another instance creating it at the same moment is fine
          }
        }
      }
      if (!created.isEmpty()) {
        log.info("Created topics {} with {} replica(s) each", created, replicas);
      }
      return created;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("cannot create Vigil's topics: " + cause.getMessage(), cause);
    }
  }
}
