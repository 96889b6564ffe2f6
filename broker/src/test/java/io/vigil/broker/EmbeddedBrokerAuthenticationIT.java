package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vigil.broker.EmbeddedKafkaBroker.BrokerSettings;
import io.vigil.broker.EmbeddedKafkaBroker.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker started as {@code vigil run} and the one-shot commands start it (loopback, a
 * free port, authenticated), against real Kafka clients.
 */
class EmbeddedBrokerAuthenticationIT {

  // A refused client never gets an answer: a bound for its calls, not a measured duration.
  private static final int REFUSED_CALL_MS = 5_000;

  @TempDir Path dataDir;

  @Test
  void clientWithoutCredentialsIsRefused() {
    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      Map<String, Object> plain = refusedClient();
      plain.put("bootstrap.servers", broker.bootstrapServers());
      try (Admin admin = Admin.create(plain)) {
        assertThatThrownBy(() -> admin.listTopics().names().get())
            .isInstanceOf(ExecutionException.class);
      }
    }
  }

  @Test
  void controllerListenerRefusesClientWithoutCredentials() throws Exception {
    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      Map<String, Object> plain = refusedClient();
      plain.put("bootstrap.controllers", broker.controllerAddress());
      try (Admin admin = Admin.create(plain)) {
        assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
            .isInstanceOf(ExecutionException.class);
      }
      // the same call with the controller's login is answered: the refusal above is the
      // authentication, not an address nobody listens on
      Map<String, Object> withLogin =
          new HashMap<>(
              BrokerCredentials.read(broker.logDir()).orElseThrow().plainClientSettings());
      withLogin.put("bootstrap.controllers", broker.controllerAddress());
      try (Admin admin = Admin.create(withLogin)) {
        assertThat(admin.describeCluster().clusterId().get()).isNotBlank();
      }
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      Map<String, Object> wrong = refusedClient();
      wrong.put("bootstrap.servers", broker.bootstrapServers());
      wrong.put("security.protocol", "SASL_PLAINTEXT");
      wrong.put("sasl.mechanism", "SCRAM-SHA-512");
      wrong.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"vigil\" password=\"not-the-password-of-this-data-dir\";");
      try (Admin admin = Admin.create(wrong)) {
        assertThatThrownBy(() -> admin.listTopics().names().get())
            .hasCauseInstanceOf(SaslAuthenticationException.class);
      }
    }
  }

  @Test
  void clientWithTheCredentialsOfTheDataDirProducesTransactionsAndConsumes() throws Exception {
    String topic = "auth-" + UUID.randomUUID();
    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      Endpoint found = EmbeddedKafkaBroker.runningOn(dataDir).orElseThrow();
      assertThat(found.clientSettings()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
      assertThat(found.toString()).doesNotContain(password());
      // a transaction's commit markers travel over the broker's own SASL listener
      assertThat(writeCommittedAndRead(found, topic)).containsExactly("committed");
    }
  }

  @Test
  void credentialsAreOwnerOnlyAndKeptAcrossRestarts() throws Exception {
    assumeThat(Files.getFileAttributeView(dataDir, PosixFileAttributeView.class)).isNotNull();
    Path kafkaDir = dataDir.resolve("kafka");
    Path file = kafkaDir.resolve(BrokerCredentials.FILE_NAME);
    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kafkaDir)))
          .isEqualTo("rwx------");
    }
    String before = Files.readString(file);
    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      assertThat(Files.readString(file)).isEqualTo(before);
      assertThat(writeCommittedAndRead(broker.endpoint(), "restart-" + UUID.randomUUID()))
          .containsExactly("committed");
    }
  }

  @Test
  void storageFormattedWithoutCredentialsIsUpgradedAndKeepsItsRecords() throws Exception {
    String topic = "old-" + UUID.randomUUID();
    // what an older Vigil left in data.dir: a storage formatted without SCRAM credentials, with
    // a record in it, and a data directory anyone may read
    try (EmbeddedKafkaBroker old = EmbeddedKafkaBroker.start(BrokerSettings.forTests(dataDir))) {
      assertThat(writeCommittedAndRead(old.endpoint(), topic)).containsExactly("committed");
    }
    assertThat(dataDir.resolve("kafka").resolve(BrokerCredentials.FILE_NAME)).doesNotExist();

    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      Map<String, Object> plain = refusedClient();
      plain.put("bootstrap.servers", broker.bootstrapServers());
      try (Admin admin = Admin.create(plain)) {
        assertThatThrownBy(() -> admin.listTopics().names().get())
            .isInstanceOf(ExecutionException.class);
      }
      assertThat(read(broker.endpoint(), topic, 1)).containsExactly("committed");
    }
  }

  @Test
  void deletedCredentialsFileIsReplacedAndTheNewPasswordAccepted() throws Exception {
    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      assertThat(broker.endpoint().clientSettings()).isNotEmpty();
    }
    String before = password();
    Files.delete(dataDir.resolve("kafka").resolve(BrokerCredentials.FILE_NAME));
    try (EmbeddedKafkaBroker broker = startLikeVigil()) {
      assertThat(password()).isNotEqualTo(before);
      assertThat(writeCommittedAndRead(broker.endpoint(), "new-" + UUID.randomUUID()))
          .containsExactly("committed");
    }
  }

  /** As {@code VigilRuntime} and {@code KafkaSession} start it. */
  private EmbeddedKafkaBroker startLikeVigil() {
    return EmbeddedKafkaBroker.start(new BrokerSettings(dataDir, "127.0.0.1", 0, Map.of()));
  }

  private String password() {
    return BrokerCredentials.read(dataDir.resolve("kafka")).orElseThrow().password();
  }

  private static Map<String, Object> refusedClient() {
    Map<String, Object> props = new HashMap<>();
    props.put("default.api.timeout.ms", REFUSED_CALL_MS);
    props.put("request.timeout.ms", REFUSED_CALL_MS);
    return props;
  }

  private static Map<String, Object> client(Endpoint endpoint) {
    Map<String, Object> props = new HashMap<>(endpoint.clientSettings());
    props.put("bootstrap.servers", endpoint.bootstrapServers());
    return props;
  }

  private static List<String> writeCommittedAndRead(Endpoint endpoint, String topic)
      throws Exception {
    try (Admin admin = Admin.create(client(endpoint))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Map<String, Object> props = client(endpoint);
    props.put("transactional.id", "tx-" + topic);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed"));
      producer.commitTransaction();
    }
    return read(endpoint, topic, 1);
  }

  private static List<String> read(Endpoint endpoint, String topic, int expected) {
    Map<String, Object> props = client(endpoint);
    props.put("group.id", "reader-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("isolation.level", "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
