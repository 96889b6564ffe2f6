package io.vigil.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.runtime.TopicProvisioner;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tools/kafka-cluster/cluster} as the cluster ITs and users run it: three brokers in their
 * own processes; with the leader of a partition killed, writes with {@code acks=all} still succeed
 * on the two left (min.insync.replicas 2) and nothing written is lost; the killed broker rejoins
 * after a restart; Vigil's topics get three replicas and two in sync; stop leaves no broker
 * running.
 */
class KafkaClusterScriptIT {

  @TempDir static Path dir;
  private static String bootstrap;

  @BeforeAll
  static void startThreeBrokers() throws Exception {
    bootstrap = lastLine(run("start", dir.toString(), "3"));
    assertThat(bootstrap.split(",")).hasSize(3).allMatch(s -> s.startsWith("127.0.0.1:"));
  }

  @AfterAll
  static void stopLeavesNoBrokerRunning() throws Exception {
    run("stop", dir.toString());
    for (int id = 1; id <= 3; id++) {
      long pid = Long.parseLong(Files.readString(dir.resolve("broker-" + id + "/pid")).strip());
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  @Test
  void vigilsTopicsGetThreeReplicasAndTwoInSync() throws Exception {
    VigilTopics topics =
        VigilTopics.create(
            Map.of(
                VigilTopics.CLOUDTRAIL, "replicas-" + UUID.randomUUID() + ".cloudtrail",
                VigilTopics.ALERTS, "replicas-" + UUID.randomUUID() + ".alerts"),
            SerdeFactory.fromSettings(Map.of()));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      new TopicProvisioner(admin, 3, -1).createMissing(topics);

      String cloudtrail = topics.cloudtrail().name();
      TopicDescription description = describeOnceKnown(admin, cloudtrail);
      assertThat(description.partitions()).allMatch(p -> p.replicas().size() == 3);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, cloudtrail);
      Config config =
          admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource);
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
    }
  }

  /**
   * The topic's description, asked until the broker that answers knows the topic: a new topic's
   * metadata reaches the other brokers moments after the controller created it.
   */
  private static TopicDescription describeOnceKnown(Admin admin, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(60, TimeUnit.SECONDS)
            .get(topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  @Test
  void threeBrokersSurviveTheLossOfALeaderAndTakeItBack() throws Exception {
    String topic = "cluster-" + UUID.randomUUID();

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      assertThat(admin.describeCluster().nodes().get(60, TimeUnit.SECONDS)).hasSize(3);
      admin
          .createTopics(List.of(new NewTopic(topic, 3, (short) 3)))
          .all()
          .get(60, TimeUnit.SECONDS);
      try (KafkaProducer<String, String> producer = producer(bootstrap)) {
        for (int i = 0; i < 50; i++) {
          producer.send(new ProducerRecord<>(topic, "k" + i, "before-" + i)).get();
        }
        int leader = partitionZero(admin, topic).leader().id();
        run("kill", dir.toString(), Integer.toString(leader));

        for (int i = 0; i < 50; i++) {
          producer.send(new ProducerRecord<>(topic, "k" + i, "after-" + i)).get();
        }
        assertThat(partitionZero(admin, topic).leader().id()).isNotEqualTo(leader);
        assertThat(readAll(bootstrap, topic, 100)).hasSize(100);

        run("restart", dir.toString(), Integer.toString(leader));
        awaitInSync(admin, topic, leader);
      }
    }
  }

  private static TopicPartitionInfo partitionZero(Admin admin, String topic) throws Exception {
    TopicDescription description =
        admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
    return description.partitions().get(0);
  }

  // The restarted broker catches up and is back in every partition's in-sync replicas.
  private static void awaitInSync(Admin admin, String topic, int broker) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
      boolean back =
          description.partitions().stream()
              .allMatch(p -> p.isr().stream().anyMatch(n -> n.id() == broker));
      if (back) {
        return;
      }
      assertThat(System.nanoTime())
          .as("broker %d back in sync within 120 s", broker)
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return new KafkaProducer<>(props);
  }

  private static List<String> readAll(String bootstrap, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }

  private static List<String> run(String... args) throws IOException, InterruptedException {
    return ClusterScript.run(dir, args);
  }

  private static String lastLine(List<String> lines) {
    return ClusterScript.lastLine(lines);
  }
}
