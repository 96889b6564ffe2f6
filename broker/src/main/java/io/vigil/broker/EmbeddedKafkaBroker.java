package io.vigil.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (combined broker and controller, KRaft mode) running inside this JVM.
 *
 * <p>It is the broker behind {@code vigil run}'s embedded default and behind the integration tests.
 * Its storage lives in {@link BrokerSettings#dataDir()}: formatted once, then reused, so topics and
 * records survive a restart. While it runs, its bootstrap address is written to {@code
 * <dataDir>/kafka/bootstrap.servers} so that other commands on the same data dir can find it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String ADDRESS_FILE = "bootstrap.servers";

  private final KafkaRaftServer server;
  private final Path logDir;
  private final String bootstrapServers;
  private volatile boolean closed;

  private EmbeddedKafkaBroker(KafkaRaftServer server, Path logDir, String bootstrapServers) {
    this.server = server;
    this.logDir = logDir;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats the storage if it is new, starts the broker and returns once it accepts clients. */
  public static EmbeddedKafkaBroker start(BrokerSettings settings) {
    Path logDir = settings.dataDir().resolve("kafka").toAbsolutePath();
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's data directory " + logDir, e);
    }
    String host = settings.host();
    int port = settings.port() == 0 ? freePort(host) : settings.port();
    int controllerPort = freePort(host);
    Properties props = brokerProperties(settings, logDir, host, port, controllerPort);
    KafkaConfig config = KafkaConfig.fromProps(props, false);

    formatOnce(logDir);

    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    long started = System.nanoTime();
    server.startup();
    String bootstrap = host + ":" + port;
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, logDir, bootstrap);
    broker.writeAddressFile();
    log.info(
        "Embedded Kafka broker listening on {} with data in {} (started in {} ms)",
        bootstrap,
        logDir,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return broker;
  }

  /**
   * The bootstrap address of the embedded broker running on {@code dataDir}, if one runs (as
   * written by {@link #start}).
   */
  public static Optional<String> runningOn(Path dataDir) {
    Path file = dataDir.resolve("kafka").resolve(ADDRESS_FILE);
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path logDir() {
    return logDir;
  }

  /** Stops the broker and waits for it; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Files.deleteIfExists(logDir.resolve(ADDRESS_FILE));
    } catch (IOException e) {
      log.warn("Could not remove {}: {}", logDir.resolve(ADDRESS_FILE), e.toString());
    }
    long started = System.nanoTime();
    server.shutdown();
    server.awaitShutdown();
    log.info(
        "Embedded Kafka broker stopped in {} ms",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  private void writeAddressFile() {
    Path tmp = logDir.resolve(ADDRESS_FILE + ".tmp");
    try {
      Files.writeString(tmp, bootstrapServers + "\n", StandardCharsets.UTF_8);
      Files.move(
          tmp,
          logDir.resolve(ADDRESS_FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("Could not record the broker address in {}: {}", logDir, e.toString());
    }
  }

  static Properties brokerProperties(
      BrokerSettings settings, Path logDir, String host, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    // One node: internal topics cannot be replicated, and exactly-once needs the transaction
    // log to accept writes with a single in-sync replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // A small footprint: the cleaner's 128 MiB dedupe buffer and the default thread pools are
    // sized for a production broker, not for one embedded beside the pipeline.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("num.replica.fetchers", "1");
    p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
    p.put("log.retention.hours", "168");
    p.put("controlled.shutdown.enable", "true");
    p.putAll(settings.overrides());
    return p;
  }

  private static void formatOnce(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return; // formatting again would mint a new cluster id and break the restart
    }
    Formatter formatter =
        new Formatter()
            .setPrintStream(
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(logDir.toString()))
            .setMetadataLogDirectory(logDir.toString())
            .setControllerListenerName("CONTROLLER")
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format the embedded broker's storage in " + logDir + ": " + e.getMessage(), e);
    }
    log.info("Formatted new embedded Kafka storage in {}", logDir);
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  /** Where and how the embedded broker runs. */
  public record BrokerSettings(Path dataDir, String host, int port, Map<String, String> overrides) {
    public BrokerSettings {
      overrides = Map.copyOf(overrides);
    }

    /** Loopback only, a free port, no overrides: what the tests want. */
    public static BrokerSettings forTests(Path dataDir) {
      return new BrokerSettings(dataDir, "127.0.0.1", 0, Map.of());
    }
  }
}
