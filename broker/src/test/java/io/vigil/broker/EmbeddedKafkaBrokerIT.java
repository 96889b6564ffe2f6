package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.broker.EmbeddedKafkaBroker.BrokerSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

  @TempDir Path dataDir;

  @Test
  void recordWrittenBeforeRestartIsReadAfterRestartOnTheSameDataDir() throws Exception {
    String topic = "restart-" + UUID.randomUUID();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.forTests(dataDir))) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
        producer.send(new ProducerRecord<>(topic, "k", "written before the restart")).get();
      }
      assertThat(EmbeddedKafkaBroker.runningOn(dataDir))
          .map(EmbeddedKafkaBroker.Endpoint::bootstrapServers)
          .contains(broker.bootstrapServers());
    }
    assertThat(EmbeddedKafkaBroker.runningOn(dataDir)).isEmpty();
    String clusterIdBefore = Files.readString(dataDir.resolve("kafka/meta.properties"));

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.forTests(dataDir))) {
      assertThat(Files.readString(dataDir.resolve("kafka/meta.properties")))
          .isEqualTo(clusterIdBefore);
      assertThat(readAll(broker.bootstrapServers(), topic, 1))
          .containsExactly("written before the restart");
    }
  }

  @Test
  void aTakenPortIsSaidInThoseWordsAndReleasesTheDataDirForTheNextStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      BrokerSettings onTakenPort = new BrokerSettings(dataDir, "127.0.0.1", port, Map.of(), false);

      assertThatThrownBy(() -> EmbeddedKafkaBroker.start(onTakenPort))
          .isInstanceOfSatisfying(
              BrokerPortTakenException.class,
              e -> {
                assertThat(e.port()).isEqualTo(port);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "the embedded broker cannot listen on 127.0.0.1:"
                            + port
                            + ": another process holds that port (another vigil run, or a Kafka"
                            + " broker, on this machine?)");
              });
    }
    // The failed start let go of the storage's lock: the next start on a free port works.
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.forTests(dataDir))) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        assertThat(admin.describeCluster().nodes().get()).hasSize(1);
      }
    }
  }

  @Test
  void transactionalProducerCommitsOnASingleNode() throws Exception {
    String topic = "tx-" + UUID.randomUUID();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.forTests(dataDir))) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      Properties props = producerProps(broker.bootstrapServers());
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "k", "committed"));
        producer.commitTransaction();
      }
      assertThat(readAll(broker.bootstrapServers(), topic, 1)).containsExactly("committed");
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(producerProps(bootstrap));
  }

  private static Properties producerProps(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return props;
  }

  private static List<String> readAll(String bootstrap, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
