package io.vigil.app.runtime;

import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * partitions and replication, each topic's cleanup policy, and record timestamps set by the broker
 * when it appends them (so that retention runs from the time of writing, whatever event time the
 * record is about). Existing topics are left as they are: an operator may have tuned them.
 */
public final class TopicProvisioner {

  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Admin admin;
  private final int partitions;
  private final Optional<Short> replicationFactor;

  /** {@code replicationFactor} -1 means the broker's default. */
  public TopicProvisioner(Admin admin, int partitions, int replicationFactor) {
    if (partitions < 1) {
      throw new IllegalArgumentException("topics.partitions must be at least 1, got " + partitions);
    }
    this.admin = admin;
    this.partitions = partitions;
    this.replicationFactor =
        replicationFactor == -1 ? Optional.empty() : Optional.of((short) replicationFactor);
  }

  /** Creates the missing topics and returns the names it created. */
  public List<String> createMissing(VigilTopics topics) throws InterruptedException {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?, ?> topic : topics.all()) {
        if (!existing.contains(topic.name())) {
          missing.add(
              new NewTopic(topic.name(), Optional.of(partitions), replicationFactor)
                  .configs(
                      Map.of(
                          TopicConfig.CLEANUP_POLICY_CONFIG,
                          topic.cleanupPolicy().configValue(),
                          // Kafka Streams stamps what it writes (alerts, posture, aggregates, late
                          // events) with event time; an alert of logs backfilled from last month
                          // would be older than the retention and deleted at the broker's next
                          // retention check, before a sink or the console read it. Retention
                          // counts from when a record was written.
                          TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                          "LogAppendTime")));
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
        log.info("Created topics {}", created);
      }
      return created;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("cannot create Vigil's topics: " + cause.getMessage(), cause);
    }
  }
}
