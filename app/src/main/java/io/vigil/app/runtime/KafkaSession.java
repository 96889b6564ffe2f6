package io.vigil.app.runtime;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.broker.EmbeddedKafkaBroker;
import io.vigil.broker.EmbeddedKafkaBroker.BrokerSettings;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka for a one-shot command ({@code vigil ingest}, {@code vigil report}): the configured
 * cluster, else the embedded broker a running {@code vigil run} serves on the same {@code
 * data.dir}, else an embedded broker started for the command and stopped after it (its data stays
 * in {@code data.dir}, where the next {@code vigil run} finds it). Vigil's topics exist when it is
 * open. On the embedded broker, the clients log in with the credentials the broker keeps in {@code
 * data.dir} ({@link KafkaConnection#embedded}).
 */
public final class KafkaSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaSession.class);

  private final KafkaConnection connection;
  private final VigilTopics topics;
  private final EmbeddedKafkaBroker ownBroker;

  private KafkaSession(
      KafkaConnection connection, VigilTopics topics, EmbeddedKafkaBroker ownBroker) {
    this.connection = connection;
    this.topics = topics;
    this.ownBroker = ownBroker;
  }

  public static KafkaSession open(VigilConfig config) throws InterruptedException {
    Optional<KafkaSession> running = attach(config);
    EmbeddedKafkaBroker broker = null;
    KafkaConnection connection;
    if (running.isPresent()) {
      connection = running.get().connection;
    } else {
      Path dataDir = dataDir(config);
      broker = EmbeddedKafkaBroker.start(new BrokerSettings(dataDir, "127.0.0.1", 0, Map.of()));
      connection =
          KafkaConnection.embedded(
              broker.endpoint(), config.passthrough("kafka."), instanceId(config));
      log.info("No vigil run on {}: started its embedded broker for this command", dataDir);
    }
    try {
      VigilTopics topics = topics(config);
      try (Admin admin = Admin.create(connection.clientProperties())) {
        new TopicProvisioner(
                admin,
                config.get(ConfigKeys.TOPICS_PARTITIONS),
                config.get(ConfigKeys.TOPICS_REPLICATION_FACTOR))
            .createMissing(topics);
      }
      return new KafkaSession(connection, topics, broker);
    } catch (RuntimeException | InterruptedException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  /**
   * Kafka of a pipeline that is already there, for commands that only make sense with one ({@code
   * vigil demo}): the configured cluster, or the embedded broker a running {@code vigil run} serves
   * on the same {@code data.dir}. Starts no broker, creates no topics and does not contact Kafka;
   * empty when no cluster is configured and no {@code vigil run} serves {@code data.dir}.
   */
  public static Optional<KafkaSession> attach(VigilConfig config) {
    Map<String, String> clientSettings = config.passthrough("kafka.");
    Optional<String> bootstrap = config.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    KafkaConnection connection;
    if (bootstrap.isPresent()) {
      connection = new KafkaConnection(bootstrap.get(), clientSettings, false, instanceId(config));
    } else {
      Optional<EmbeddedKafkaBroker.Endpoint> running =
          EmbeddedKafkaBroker.runningOn(dataDir(config));
      if (running.isEmpty()) {
        return Optional.empty();
      }
      connection = KafkaConnection.embedded(running.get(), clientSettings, instanceId(config));
      log.info("Using the embedded broker of the vigil run on {}", dataDir(config));
    }
    return Optional.of(new KafkaSession(connection, topics(config), null));
  }

  /**
   * The configured static membership name; never the embedded default, which beside a vigil run
   * would fence its members.
   */
  private static String instanceId(VigilConfig config) {
    return config.find(ConfigKeys.KAFKA_GROUP_INSTANCE_ID).orElse(null);
  }

  private static Path dataDir(VigilConfig config) {
    return config.get(ConfigKeys.DATA_DIR).toAbsolutePath().normalize();
  }

  private static VigilTopics topics(VigilConfig config) {
    return VigilTopics.create(
        VigilRuntime.topicNames(config),
        SerdeFactory.fromSettings(VigilRuntime.registrySettings(config)));
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
