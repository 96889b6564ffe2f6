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
 *
 * <p>Unless {@link BrokerSettings#authenticated()} is off (the shared test broker), every listener
 * requires SASL, with the credentials of {@link BrokerCredentials} (generated at the first start,
 * owner-only, in {@code <dataDir>/kafka/}, itself owner-only): clients use SCRAM-SHA-512 on the
 * broker listener; the controller listener takes SASL/PLAIN against a static user of its JAAS
 * configuration, because the SCRAM credentials are metadata that the controller itself serves (a
 * broker must reach its controller before it has any metadata). A storage without the SCRAM
 * credential gets it at start ({@link ScramLogin}).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String ADDRESS_FILE = "bootstrap.servers";

  private final KafkaRaftServer server;
  private final Path logDir;
  private final Endpoint endpoint;
  private final String controllerAddress;
  private volatile boolean closed;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server, Path logDir, Endpoint endpoint, String controllerAddress) {
    this.server = server;
    this.logDir = logDir;
    this.endpoint = endpoint;
    this.controllerAddress = controllerAddress;
  }

  /** Formats the storage if it is new, starts the broker and returns once it accepts clients. */
  public static EmbeddedKafkaBroker start(BrokerSettings settings) {
    Path logDir = settings.dataDir().resolve("kafka").toAbsolutePath();
    try {
      Files.createDirectories(logDir);
      if (settings.authenticated()) {
        // The records (dead letters included) and the credentials are in this directory.
        OwnerOnlyFiles.restrict(logDir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's data directory " + logDir, e);
    }
    BrokerCredentials credentials =
        settings.authenticated() ? BrokerCredentials.loadOrCreate(logDir) : null;
    String host = settings.host();
    int port;
    int controllerPort;
    // Both picked while both sockets are held: closed one after the other, the kernel may hand
    // out the same port twice, and Kafka refuses two listeners on one port.
    try (ServerSocket brokerSocket = settings.port() == 0 ? bound(host) : null;
        ServerSocket controllerSocket = bound(host)) {
      port = brokerSocket == null ? settings.port() : brokerSocket.getLocalPort();
      controllerPort = controllerSocket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
    Properties props =
        brokerProperties(settings, logDir, host, port, controllerPort, credentials, false);
    KafkaConfig.fromProps(props, false); // a bad setting fails before the storage is formatted

    formatOnce(logDir, credentials);

    long started = System.nanoTime();
    String bootstrap = host + ":" + port;
    KafkaRaftServer server = launch(props);
    if (credentials != null) {
      server =
          acceptingScram(
              server,
              props,
              brokerProperties(settings, logDir, host, port, controllerPort, credentials, true),
              bootstrap,
              credentials);
    }
    Map<String, String> clientSettings =
        credentials == null ? Map.of() : credentials.clientSettings();
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(
            server, logDir, new Endpoint(bootstrap, clientSettings), host + ":" + controllerPort);
    broker.writeAddressFile();
    log.info(
        "Embedded Kafka broker listening on {}{} with data in {} (started in {} ms)",
        bootstrap,
        credentials == null ? " without authentication" : " (SASL/SCRAM)",
        logDir,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return broker;
  }

  /**
   * How to reach the embedded broker running on {@code dataDir}, if one runs (as written by {@link
   * #start}): its address and, if it requires authentication, the credentials.
   */
  public static Optional<Endpoint> runningOn(Path dataDir) {
    Path kafkaDir = dataDir.resolve("kafka");
    Path file = kafkaDir.resolve(ADDRESS_FILE);
    String bootstrap;
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      bootstrap = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return Optional.empty();
    }
    Map<String, String> clientSettings =
        BrokerCredentials.read(kafkaDir).map(BrokerCredentials::clientSettings).orElse(Map.of());
    return Optional.of(new Endpoint(bootstrap, clientSettings));
  }

  public String bootstrapServers() {
    return endpoint.bootstrapServers();
  }

  /** The address and the settings (credentials) a client of this broker needs. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** The controller listener's address (for tests: no client of Vigil talks to it). */
  String controllerAddress() {
    return controllerAddress;
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

  /**
   * The running broker once it accepts the SCRAM login of {@code credentials}: {@code server}
   * itself, or, for a storage without that credential, a broker started again after a one-time
   * start with {@code upgradeProps} ({@link ScramLogin}). Stops every broker it started on failure.
   */
  private static KafkaRaftServer acceptingScram(
      KafkaRaftServer server,
      Properties props,
      Properties upgradeProps,
      String bootstrap,
      BrokerCredentials credentials) {
    KafkaRaftServer running = server;
    try {
      if (ScramLogin.accepted(bootstrap, credentials)) {
        return running;
      }
      stop(running);
      running = null;
      log.info(
          "The embedded broker's storage has no SCRAM credential matching {} (formatted by an"
              + " older Vigil, or a new credentials file): adding it",
          BrokerCredentials.FILE_NAME);
      KafkaRaftServer upgrading = launch(upgradeProps);
      try {
        ScramLogin.add(bootstrap, credentials);
      } finally {
        stop(upgrading);
      }
      return launch(props);
    } catch (RuntimeException | InterruptedException e) {
      if (running != null) {
        stop(running);
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the embedded broker", e);
      }
      throw (RuntimeException) e;
    }
  }

  private static KafkaRaftServer launch(Properties props) {
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      Optional<BrokerPortTakenException> taken = BrokerPortTakenException.from(e);
      if (taken.isEmpty()) {
        throw e;
      }
      // The controller may be up already: stop it, or its threads outlive the failed start.
      try {
        stop(server);
      } catch (RuntimeException stopping) {
        e.addSuppressed(stopping);
      }
      throw taken.get();
    }
    return server;
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private void writeAddressFile() {
    Path tmp = logDir.resolve(ADDRESS_FILE + ".tmp");
    try {
      Files.writeString(tmp, endpoint.bootstrapServers() + "\n", StandardCharsets.UTF_8);
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
      BrokerSettings settings,
      Path logDir,
      String host,
      int port,
      int controllerPort,
      BrokerCredentials credentials,
      boolean plainForUpgrade) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    p.put(
        "listeners",
        "BROKER://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "BROKER://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "BROKER");
    if (credentials == null) {
      p.put("listener.security.protocol.map", "BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT");
    } else {
      p.put("listener.security.protocol.map", "BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
      // The broker is a client of its own listeners too: of BROKER for transaction markers, of
      // CONTROLLER for its registration and metadata; each JAAS line holds its login.
      p.put("listener.name.broker.scram-sha-512.sasl.jaas.config", credentials.scramJaas());
      if (plainForUpgrade) {
        // Only while ScramLogin adds the SCRAM credential to a storage that has none.
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put(
            "listener.name.broker.sasl.enabled.mechanisms", BrokerCredentials.MECHANISM + ",PLAIN");
        p.put("listener.name.broker.plain.sasl.jaas.config", credentials.plainJaas());
      } else {
        p.put("sasl.mechanism.inter.broker.protocol", BrokerCredentials.MECHANISM);
        p.put("listener.name.broker.sasl.enabled.mechanisms", BrokerCredentials.MECHANISM);
      }
      p.put("sasl.mechanism.controller.protocol", "PLAIN");
      p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
      p.put("listener.name.controller.plain.sasl.jaas.config", credentials.plainJaas());
    }
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

  private static void formatOnce(Path logDir, BrokerCredentials credentials) {
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
    if (credentials != null) {
      formatter.setScramArguments(List.of(credentials.formatArgument()));
    }
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format the embedded broker's storage in " + logDir + ": " + e.getMessage(), e);
    }
    log.info("Formatted new embedded Kafka storage in {}", logDir);
  }

  private static ServerSocket bound(String host) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Where and how the embedded broker runs; {@code authenticated} says whether every listener
   * requires SASL (always, for what a {@code vigil} command starts).
   */
  public record BrokerSettings(
      Path dataDir, String host, int port, Map<String, String> overrides, boolean authenticated) {
    public BrokerSettings {
      overrides = Map.copyOf(overrides);
    }

    /** An authenticated broker: what every {@code vigil} command starts. */
    public BrokerSettings(Path dataDir, String host, int port, Map<String, String> overrides) {
      this(dataDir, host, port, overrides, true);
    }

    /**
     * Loopback only, a free port, no overrides and no authentication: the shared broker of the
     * integration tests and the benchmarks, never what a {@code vigil} command runs.
     */
    public static BrokerSettings forTests(Path dataDir) {
      return new BrokerSettings(dataDir, "127.0.0.1", 0, Map.of(), false);
    }
  }

  /**
   * How a client reaches the embedded broker: its address and the settings it needs (the SASL
   * credentials; empty for the unauthenticated test broker). {@link #toString()} shows no value of
   * the settings.
   */
  public record Endpoint(String bootstrapServers, Map<String, String> clientSettings) {
    public Endpoint {
      clientSettings = Map.copyOf(clientSettings);
    }

    @Override
    public String toString() {
      return bootstrapServers
          + (clientSettings.isEmpty() ? "" : " with settings " + clientSettings.keySet());
    }
  }
}
