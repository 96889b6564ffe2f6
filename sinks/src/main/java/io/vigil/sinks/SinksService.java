package io.vigil.sinks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.VigilTopics;
import io.vigil.sinks.delivery.Feed;
import io.vigil.sinks.delivery.Redactor;
import io.vigil.sinks.delivery.Sink;
import io.vigil.sinks.delivery.SinkHealth;
import io.vigil.sinks.delivery.SinkMetrics;
import io.vigil.sinks.delivery.SinkRunner;
import io.vigil.sinks.render.Workflow;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sinks as one running component, for {@code vigil run} (a pipeline component) and for a
 * standalone {@code vigil sinks} process against a given cluster.
 *
 * <p>Each sink gets its own {@link SinkRunner} on its own thread with its own consumer in group
 * {@code <groupPrefix>-sink-<name>} (read_committed, manual commits), so that sinks progress, fail
 * and scale independently: several processes with the same definitions share each sink's
 * partitions. An archive that also takes aggregates gets a second runner, {@code
 * <name>/aggregates}, with its own group on the aggregates topic. One idempotent producer, shared,
 * writes the dead letters. Closing stops every runner (what was delivered is committed) and closes
 * the sinks.
 */
public final class SinksService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SinksService.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Appended to an archive's name for the runner of its aggregates. */
  public static final String AGGREGATES_SUFFIX = "/aggregates";

  /** Appended to a sink's name for the runner of the triage changes it follows (PagerDuty). */
  public static final String TRIAGE_SUFFIX = "/triage";

  private final List<SinkRunner<?>> runners;
  private final List<Sink<?>> sinks;
  private final List<Thread> threads;
  private final Producer<String, Rejected> deadLetters;
  private final HttpClient http;
  private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();

  private SinksService(
      List<SinkRunner<?>> runners,
      List<Sink<?>> sinks,
      List<Thread> threads,
      Producer<String, Rejected> deadLetters,
      HttpClient http) {
    this.runners = runners;
    this.sinks = sinks;
    this.threads = threads;
    this.deadLetters = deadLetters;
    this.http = http;
  }

  /**
   * Options that tests (and a CLI that prints to its own stream) may change.
   *
   * @param groupInstanceId this process's name for static membership in the sinks' consumer groups
   *     ({@code group.instance.id}; a restarted process takes its partitions back at once), or
   *     {@code null} for dynamic membership
   * @param workflows where alerts stand in triage, for the sinks whose format carries it
   */
  public record Options(
      PrintStream stdout, Clock clock, String groupInstanceId, Workflow.Lookup workflows) {
    public static Options defaults() {
      return new Options(System.out, Clock.systemUTC(), null, Workflow.Lookup.NONE);
    }

    /** These options with this static membership name ({@code null}: none). */
    public Options withGroupInstanceId(String id) {
      return new Options(stdout, clock, id, workflows);
    }

    /** These options with alerts' triage states from {@code lookup}. */
    public Options withWorkflows(Workflow.Lookup lookup) {
      return new Options(stdout, clock, groupInstanceId, lookup);
    }
  }

  /**
   * Starts every sink.
   *
   * @param definitions from {@link SinkDefinitions#parse}
   * @param kafkaClientProperties bootstrap servers and security settings (no serializers or group
   *     ids)
   * @param topics where alerts come from and dead letters go
   * @param groupPrefix prefix of the consumer group ids, e.g. {@code vigil}
   * @param registry where the per-sink metrics go
   * @throws IllegalStateException naming the sink when one cannot be opened (nothing is left
   *     running)
   */
  public static SinksService start(
      List<SinkDefinition> definitions,
      Map<String, Object> kafkaClientProperties,
      VigilTopics topics,
      String groupPrefix,
      MeterRegistry registry) {
    return start(
        definitions, kafkaClientProperties, topics, groupPrefix, registry, Options.defaults());
  }

  /** As {@link #start(List, Map, VigilTopics, String, MeterRegistry)}, with {@code options}. */
  public static SinksService start(
      List<SinkDefinition> definitions,
      Map<String, Object> kafkaClientProperties,
      VigilTopics topics,
      String groupPrefix,
      MeterRegistry registry,
      Options options) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    Producer<String, Rejected> deadLetters =
        deadLetterProducer(kafkaClientProperties, topics, groupPrefix);
    List<SinkRunner<?>> runners = new ArrayList<>();
    List<Sink<?>> sinks = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    SinksService service = new SinksService(runners, sinks, threads, deadLetters, http);
    try {
      for (SinkDefinition definition : definitions) {
        Redactor redactor = new Redactor(definition.sensitive());
        SinkContext context =
            new SinkContext(
                definition.name(),
                http,
                options.clock(),
                Map.copyOf(kafkaClientProperties),
                options.stdout(),
                options.workflows());
        // One runner per feed the sink takes: alerts, aggregates (the archive), triage (PagerDuty,
        // and the OCSF and ASFF renderings).
        Feeds feeds =
            new Feeds(
                service,
                definition,
                redactor,
                kafkaClientProperties,
                groupPrefix,
                deadLetters,
                topics,
                registry,
                options,
                sinks,
                runners);
        feeds.add(
            "",
            () -> definition.config().open(context),
            Feed.alerts(topics.alerts(), definition.filter()));
        feeds.add(
            AGGREGATES_SUFFIX,
            () -> definition.config().openAggregates(context),
            Feed.aggregates(topics.aggregates()));
        feeds.add(
            TRIAGE_SUFFIX,
            () -> definition.config().openTriage(context),
            Feed.triage(topics.triage(), definition.filter()));
      }
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    for (SinkRunner<?> runner : runners) {
      Thread thread = new Thread(runner, "vigil-sink-" + runner.name());
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
      log.info("sink '{}' started", runner.name());
    }
    return service;
  }

  /** Opens one definition's sink of each feed it takes and a runner for it. */
  private record Feeds(
      SinksService service,
      SinkDefinition definition,
      Redactor redactor,
      Map<String, Object> kafkaClientProperties,
      String groupPrefix,
      Producer<String, Rejected> deadLetters,
      VigilTopics topics,
      MeterRegistry registry,
      Options options,
      List<Sink<?>> sinks,
      List<SinkRunner<?>> runners) {

    <T> void add(String suffix, Opener<T> opener, Feed<T> feed) {
      Sink<T> sink = open(definition, redactor, opener);
      if (sink != null) {
        sinks.add(sink);
        runners.add(service.runner(definition.name() + suffix, sink, feed, this));
      }
    }
  }

  /**
   * The consumer group id of a sink's alerts; its aggregates (an archive's second feed) use {@code
   * groupId(prefix, name + "/aggregates")}: sink names cannot hold a slash, so no other sink's
   * group can collide with it.
   */
  public static String groupId(String groupPrefix, String sinkName) {
    return groupPrefix + "-sink-" + sinkName;
  }

  /**
   * Opens one feed's sink of a definition: may throw anything, returns null when the sink takes no
   * such records.
   */
  private interface Opener<T> {
    Sink<T> open() throws Exception;
  }

  private static <T> Sink<T> open(SinkDefinition definition, Redactor redactor, Opener<T> opener) {
    try {
      return opener.open();
    } catch (Exception e) {
      throw new IllegalStateException(
          "sink '"
              + definition.name()
              + "' ("
              + definition.type()
              + ") cannot start: "
              + redactor.scrub(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  /**
   * A runner of {@code sink} on {@code feed}, with its own consumer group, for {@code with}'s sink.
   */
  private <T> SinkRunner<T> runner(String runnerName, Sink<T> sink, Feed<T> feed, Feeds with) {
    SinkDefinition definition = with.definition();
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            consumerProperties(
                with.kafkaClientProperties(),
                groupId(with.groupPrefix(), runnerName),
                with.options().groupInstanceId(),
                definition,
                sink),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    // The consumer's own metrics (records-lag-max above all: how far a sink is behind), tagged
    // with its client id, which is the sink's group id.
    KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
    metrics.bindTo(with.registry());
    clientMetrics.add(metrics);
    return new SinkRunner<>(
        runnerName,
        definition.type(),
        sink,
        feed,
        definition.retry(),
        consumer,
        with.deadLetters(),
        with.topics().dlq(),
        new SinkMetrics(with.registry(), definition.name(), definition.type(), feed.kind()),
        with.redactor(),
        with.options().clock());
  }

  /** Health of every sink, by name, in configuration order. */
  public Map<String, SinkHealth> health() {
    Map<String, SinkHealth> out = new LinkedHashMap<>();
    runners.forEach(r -> out.put(r.name(), r.health()));
    return out;
  }

  /** Whether every sink is doing its job (no sinks configured counts as ready). */
  public boolean ready() {
    return runners.stream().allMatch(r -> r.health().ready());
  }

  /** Whether no sink has failed for good. */
  public boolean alive() {
    return runners.stream().allMatch(r -> r.health().alive());
  }

  @Override
  public void close() {
    for (SinkRunner<?> runner : runners) {
      // Ask all first, then wait: they stop in parallel.
      try {
        runner.stop(Duration.ZERO);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (SinkRunner<?> runner : runners) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!runner.stop(Duration.ofNanos(left))) {
          log.warn("sink '{}' did not stop within {} s", runner.name(), STOP_TIMEOUT.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Sink<?> sink : sinks) {
      try {
        sink.close();
      } catch (Exception e) {
        log.warn("closing a sink failed: {}", e.getClass().getSimpleName());
      }
    }
    deadLetters.close(Duration.ofSeconds(10));
    clientMetrics.forEach(KafkaClientMetrics::close);
  }

  private static Map<String, Object> consumerProperties(
      Map<String, Object> base,
      String groupId,
      String groupInstanceId,
      SinkDefinition definition,
      Sink<?> sink) {
    Map<String, Object> props = new HashMap<>(base);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    if (groupInstanceId != null) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
    }
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, definition.fromEarliest() ? "earliest" : "latest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(100, sink.maxBatch()));
    return props;
  }

  private static Producer<String, Rejected> deadLetterProducer(
      Map<String, Object> base, VigilTopics topics, String groupPrefix) {
    Map<String, Object> props = new HashMap<>(base);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, groupPrefix + "-sinks-dlq");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(
        props, topics.dlq().keySerde().serializer(), topics.dlq().valueSerde().serializer());
  }
}
