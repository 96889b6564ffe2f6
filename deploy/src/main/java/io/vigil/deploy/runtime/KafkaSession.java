package io.vigil.deploy.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.vigil.broker.EmbeddedKafkaBroker;
import io.vigil.broker.EmbeddedKafkaBroker.BrokerSettings;
import io.vigil.deploy.config.ConfigKeys;
import io.vigil.deploy.config.VigilConfig;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka for a one-shot command ({@code vigil ingest}, {@code vigil report}): the configured cluster,
 * else the embedded broker a running {@code vigil run} serves on the same {@code data.dir}, else an
 * embedded broker started for the command and stopped after it (its data stays in
 * {@code data.dir}, where the next {@code vigil run} finds it). Vigil's topics exist when it is open.
 */
public final class KafkaSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaSession.class);

  private final KafkaConnection connection;
  private final VigilTopics topics;
  private final EmbeddedKafkaBroker ownBroker;

  private KafkaSession(KafkaConnection connection, VigilTopics topics, EmbeddedKafkaBroker ownBroker) {
    this.connection = connection;
    this.topics = topics;
    this.ownBroker = ownBroker;
  }

  public static KafkaSession open(VigilConfig config) throws InterruptedException {
    Map<String, String> clientSettings = config.passthrough("kafka.");
    Path dataDir = config.get(ConfigKeys.DATA_DIR).toAbsolutePath().normalize();
    Optional<String> bootstrap = config.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    EmbeddedKafkaBroker broker = null;
    KafkaConnection connection;
    // Never the embedded default here: beside a vigil run, the same name would fence its members.
    String instanceId = config.find(ConfigKeys.KAFKA_GROUP_INSTANCE_ID).orElse(null);
    if (bootstrap.isPresent()) {
      connection = new KafkaConnection(bootstrap.get(), clientSettings, false, instanceId);
    } else if (EmbeddedKafkaBroker.runningOn(dataDir).isPresent()) {
      connection = new KafkaConnection(EmbeddedKafkaBroker.runningOn(dataDir).get(), clientSettings, true,
          instanceId);
      log.info("Using the embedded broker of the vigil run on {}", dataDir);
    } else {
      broker = EmbeddedKafkaBroker.start(new BrokerSettings(dataDir, "127.0.0.1", 0, Map.of()));
      connection = new KafkaConnection(broker.bootstrapServers(), clientSettings, true, instanceId);
      log.info("No vigil run on {}: started its embedded broker for this command", dataDir);
    }
    try {
      VigilTopics topics = VigilTopics.create(VigilRuntime.topicNames(config),
          SerdeFactory.fromSettings(VigilRuntime.registrySettings(config)));
      try (Admin admin = Admin.create(connection.clientProperties())) {
        new TopicProvisioner(admin, config.get(ConfigKeys.TOPICS_PARTITIONS),
            config.get(ConfigKeys.TOPICS_REPLICATION_FACTOR)).createMissing(topics);
      }
      return new KafkaSession(connection, topics, broker);
    } catch (RuntimeException | InterruptedException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  public KafkaConnection connection() {
    return connection;
  }

  public VigilTopics topics() {
    return topics;
  }

  @Override
  public void close() {
    if (ownBroker != null) {
      ownBroker.close();
    }
  }
}
