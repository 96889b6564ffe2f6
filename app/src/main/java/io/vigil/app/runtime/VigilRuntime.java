package io.vigil.app.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.access.Users;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.console.Console;
import io.vigil.app.http.AccessGuard;
import io.vigil.app.http.HttpEndpoints;
import io.vigil.app.http.HttpSettings;
import io.vigil.app.http.Peers;
import io.vigil.app.http.QueryApi;
import io.vigil.app.suppressions.Mutes;
import io.vigil.app.triage.TriageLog;
import io.vigil.broker.BrokerPortTakenException;
import io.vigil.broker.EmbeddedKafkaBroker;
import io.vigil.broker.EmbeddedKafkaBroker.BrokerSettings;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.sigma.model.RuleSet;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.errors.DeadLetterDeserializationHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running pipeline of {@code vigil run}: the HTTP endpoints, the Kafka connection (the embedded
 * broker unless {@code kafka.bootstrap.servers} is set), Vigil's topics, and every {@link
 * PipelineComponent} the factories make. Started in that order and stopped in reverse: components
 * (Kafka Streams first), then clients, then the broker, then HTTP.
 */
public final class VigilRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VigilRuntime.class);

  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<PipelineComponent> components = new ArrayList<>();
  private volatile HttpEndpoints http;
  private volatile KafkaConnection kafka;
  private volatile boolean started;
  private volatile boolean closing;

  // The triage and suppression topics hold only people's decisions: read whole at start in moments.
  static final Duration TRIAGE_CATCH_UP = Duration.ofSeconds(60);

  private VigilRuntime() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Starts everything; on failure stops what was started and rethrows. */
  public static VigilRuntime start(VigilConfig config, List<PipelineComponentFactory> factories)
      throws Exception {
    VigilRuntime runtime = new VigilRuntime();
    try {
      runtime.startAll(config, factories);
      return runtime;
    } catch (Exception | Error e) {
      runtime.close();
      throw e;
    }
  }

  private void startAll(VigilConfig config, List<PipelineComponentFactory> factories)
      throws Exception {
    long begin = System.nanoTime();
    bindJvmMetrics();
    Console.Settings console = Console.Settings.from(config);
    AccessGuard guard = AccessGuard.from(config);
    http = HttpEndpoints.start(HttpSettings.from(config), this::health, registry, guard);
    if (http.managementPort() >= 0) {
      log.info(
          "Serving HTTP on port {}; /health, /ready and /metrics also on management port {}",
          http.port(),
          http.managementPort());
    } else {
      log.info("Serving /health, /ready and /metrics on port {}", http.port());
    }

    Path dataDir = config.get(ConfigKeys.DATA_DIR).toAbsolutePath().normalize();
    Map<String, String> clientSettings = config.passthrough("kafka.");
    Optional<String> bootstrap = config.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    Optional<String> instanceId = config.find(ConfigKeys.KAFKA_GROUP_INSTANCE_ID);
    if (bootstrap.isPresent()) {
      kafka = new KafkaConnection(bootstrap.get(), clientSettings, false, instanceId.orElse(null));
    } else {
      int port = config.get(ConfigKeys.KAFKA_EMBEDDED_PORT);
      EmbeddedKafkaBroker broker;
      try {
        broker =
            EmbeddedKafkaBroker.start(new BrokerSettings(dataDir, "127.0.0.1", port, Map.of()));
      } catch (BrokerPortTakenException e) {
        if (e.port() != port) {
          throw e;
        }
        throw config.invalid(
            ConfigKeys.KAFKA_EMBEDDED_PORT,
            List.of(
                "port "
                    + port
                    + " on 127.0.0.1 is taken by another process (another vigil run, or a Kafka"
                    + " broker?): stop it, choose another port (0 picks a free one), or set"
                    + " kafka.bootstrap.servers to use a running cluster"));
      }
      closeables.add(broker);
      // One vigil run owns an embedded broker, so a fixed name is unique, and a restart after a
      // crash (kill -9, OOM) gets its partitions back at once instead of after the session timeout.
      kafka =
          KafkaConnection.embedded(
              broker.endpoint(),
              clientSettings,
              instanceId.orElse(KafkaConnection.EMBEDDED_INSTANCE_ID));
    }
    log.info("Using the {}", kafka);

    AdminClient admin = AdminClient.create(kafka.clientProperties());
    KafkaClientMetrics adminMetrics = new KafkaClientMetrics(admin);
    adminMetrics.bindTo(registry);
    closeables.add(admin);
    closeables.add(adminMetrics);

    VigilTopics topics =
        VigilTopics.create(topicNames(config), SerdeFactory.fromSettings(registrySettings(config)));
    new TopicProvisioner(
            admin,
            config.get(ConfigKeys.TOPICS_PARTITIONS),
            config.get(ConfigKeys.TOPICS_REPLICATION_FACTOR))
        .createMissing(topics);

    // Read before the detection starts: its first publications are marked by the mutes in force.
    Mutes mutes =
        new Mutes(
            kafka.clientProperties(),
            config.get(ConfigKeys.STREAMS_APPLICATION_ID) + "-mutes",
            topics.suppressions(),
            registry,
            Clock.systemUTC());
    closeables.add(mutes);
    mutes.start(TRIAGE_CATCH_UP);
    // Read before the sinks start: their OCSF and ASFF renderings carry the triage state.
    TriageLog triage =
        new TriageLog(
            kafka.clientProperties(),
            config.get(ConfigKeys.STREAMS_APPLICATION_ID) + "-triage",
            topics.triage());
    closeables.add(triage);
    triage.start(TRIAGE_CATCH_UP);
    PipelineContext context =
        new PipelineContext(
            config,
            kafka,
            topics,
            dataDir,
            registry,
            advertisedHost(config) + ":" + http.port(),
            mutes,
            triage.workflows());
    for (PipelineComponentFactory factory : factories) {
      Optional<PipelineComponent> component = factory.create(context);
      if (component.isPresent()) {
        components.add(component.get());
        component.get().start();
        log.info("Started component '{}'", component.get().name());
      }
    }
    // The API's view of the rules in force, loaded once for the reports and the coverage.
    DetectionSettings detectionSettings = DetectionConfig.settings(config, List.of());
    RuleSet rules = DetectionEngine.ruleSet(detectionSettings);
    QueryApi.register(
        http,
        components,
        config.get(ConfigKeys.AGGREGATES_WINDOWS),
        ComplianceEvidence.enabledRules(rules, detectionSettings),
        rules,
        triage,
        mutes,
        config.find(ConfigKeys.HTTP_USERS).orElse(Users.none()),
        new Peers(
            advertisedHost(config) + ":" + http.port(),
            config.find(ConfigKeys.HTTP_PEER_TOKEN),
            config.find(ConfigKeys.HTTP_USERS).orElse(Users.none()).isEmpty()
                && config.find(ConfigKeys.HTTP_TOKEN).isEmpty()));
    if (console.enabled()) {
      Console.start(
              http,
              console,
              kafka.clientProperties(),
              config.get(ConfigKeys.STREAMS_APPLICATION_ID) + "-console-feed",
              topics.alerts(),
              components,
              triage,
              registry)
          .ifPresent(closeables::add);
    }
    started = true;
    log.info("Vigil started in {} ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
  }

  /**
   * The host other instances reach this one's HTTP API at: {@code http.advertised.host}, else
   * {@code http.host}, else (binding every address) this machine's name.
   */
  static String advertisedHost(VigilConfig config) {
    Optional<String> advertised = config.find(ConfigKeys.HTTP_ADVERTISED_HOST);
    if (advertised.isPresent()) {
      return advertised.get();
    }
    String host = config.get(ConfigKeys.HTTP_HOST);
    if (!host.equals("0.0.0.0") && !host.equals("::")) {
      return host;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /** The topic names from {@code topics.<logical name>} keys, by logical name. */
  static Map<String, String> topicNames(VigilConfig config) {
    Map<String, String> names = new LinkedHashMap<>();
    ConfigKeys.topicKeys().forEach((logical, key) -> names.put(logical, config.get(key)));
    return names;
  }

  static Map<String, String> registrySettings(VigilConfig config) {
    Map<String, String> settings = new LinkedHashMap<>();
    config
        .find(ConfigKeys.SCHEMA_REGISTRY_URL)
        .ifPresent(v -> settings.put("schema.registry.url", v));
    config
        .find(ConfigKeys.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO)
        .ifPresent(v -> settings.put("schema.registry.basic.auth.user.info", v));
    settings.put(
        "schema.registry.auto.register",
        Boolean.toString(config.get(ConfigKeys.SCHEMA_REGISTRY_AUTO_REGISTER)));
    return settings;
  }

  private void bindJvmMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    closeables.add(gc);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // Error tier 1 of the Streams applications: records they could not deserialize (sent to the
    // DLQ).
    FunctionCounter.builder(
            "vigil.streams.undecodable",
            DeadLetterDeserializationHandler.class,
            handler -> DeadLetterDeserializationHandler.rejectedCount())
        .description(
            "Records the Kafka Streams applications could not deserialize and sent to the"
                + " dead-letter topic")
        .register(registry);
  }

  /** Ready when started and every component is ready; alive unless a component failed for good. */
  public Health health() {
    if (closing) {
      return Health.starting("shutting down");
    }
    if (!started) {
      return Health.starting("starting");
    }
    List<PipelineComponent> snapshot = List.copyOf(components);
    boolean ready = true;
    boolean alive = true;
    for (PipelineComponent component : snapshot) {
      Health h = component.health();
      ready &= h.ready();
      alive &= h.alive();
    }
    String detail =
        snapshot.isEmpty()
            ? "no components; Kafka clients up"
            : snapshot.stream()
                .map(c -> c.name() + "=" + c.health().detail())
                .collect(Collectors.joining(", "));
    return new Health(ready, alive, detail);
  }

  public KafkaConnection kafka() {
    return kafka;
  }

  public int httpPort() {
    return http.port();
  }

  public List<PipelineComponent> components() {
    return Collections.unmodifiableList(components);
  }

  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    long begin = System.nanoTime();
    for (int i = components.size() - 1; i >= 0; i--) {
      closeQuietly(components.get(i));
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeQuietly(closeables.get(i));
    }
    if (http != null) {
      http.close();
    }
    registry.close();
    log.info("Vigil stopped in {} ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("Error while stopping {}: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }
}
