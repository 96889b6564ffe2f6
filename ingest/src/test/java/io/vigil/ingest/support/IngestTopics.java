package io.vigil.ingest.support;

import io.vigil.schemas.SingleObjectSerdeFactory;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Topics of one test on the shared broker: every logical topic renamed with a unique suffix (so
 * tests never see each other's records), created as the runtime's provisioner would, and read back
 * with {@code read_committed} as downstream consumers do.
 */
public final class IngestTopics {

  private final KafkaCluster cluster;
  private final VigilTopics topics;

  private IngestTopics(KafkaCluster cluster, VigilTopics topics) {
    this.cluster = cluster;
    this.topics = topics;
  }

  /** Creates the topics of a new test, three partitions each so that keys matter. */
  public static IngestTopics create(KafkaCluster cluster) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> names = new HashMap<>();
    VigilTopics.DEFAULT_NAMES.forEach((logical, name) -> names.put(logical, name + "." + suffix));
    VigilTopics topics = VigilTopics.create(names, new SingleObjectSerdeFactory());
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      List<NewTopic> created = new ArrayList<>();
      for (Topic<?, ?> topic : topics.all()) {
        created.add(
            new NewTopic(topic.name(), 3, (short) 1)
                .configs(
                    Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanupPolicy().configValue())));
      }
      admin.createTopics(created).all().get(30, TimeUnit.SECONDS);
    }
    return new IngestTopics(cluster, topics);
  }

  public VigilTopics topics() {
    return topics;
  }

  /** Every committed record of {@code topic} now, in partition order. */
  public <V> List<ConsumerRecord<String, V>> readCommitted(Topic<String, V> topic) {
    Map<String, Object> config = new HashMap<>(cluster.clientProperties());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            config, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, V>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic.name() + " to its end");
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }

  /**
   * The committed values of {@code topic} once there are at least {@code atLeast} (for up to 30 s):
   * a commit's markers reach the partitions just after {@code commitTransaction} returns, so a read
   * right after it may not see the records yet.
   */
  public <V> List<V> values(Topic<String, V> topic, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<V> values = values(topic);
    while (values.size() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(100);
      values = values(topic);
    }
    return values;
  }

  /** The committed values of {@code topic}. */
  public <V> List<V> values(Topic<String, V> topic) {
    return readCommitted(topic).stream().map(ConsumerRecord::value).toList();
  }
}
