package io.vigil.app.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.vigil.app.config.ConfigKeys;
import io.vigil.streams.errors.DeadLetterDeserializationHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams application (one topology) as a pipeline component, with its metrics on
 * {@code /metrics}. Ready while the application is RUNNING; alive unless it reached ERROR or was
 * closed after a fatal error. A rebalance is alive but not ready.
 */
public final class StreamsComponent implements PipelineComponent {

  private static final Logger log = LoggerFactory.getLogger(StreamsComponent.class);

  private final ComponentKind kind;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final Duration closeTimeout;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final RestoreLog restores;

  public StreamsComponent(
      ComponentKind kind, Topology topology, Properties properties, PipelineContext context) {
    this.kind = kind;
    this.streams = new KafkaStreams(topology, properties);
    this.closeTimeout = context.config().get(ConfigKeys.SHUTDOWN_TIMEOUT).dividedBy(2);
    this.streams.setStateListener(
        (now, before) -> log.info("Kafka Streams '{}' {} -> {}", kind.configName(), before, now));
    this.restores = new RestoreLog(kind.configName(), context.metrics());
    this.streams.setGlobalStateRestoreListener(restores);
    this.metrics = new KafkaStreamsMetrics(streams);
    this.metrics.bindTo(context.metrics());
  }

  /**
   * {@code max.task.idle.ms} of every Vigil topology: a task reading the CloudTrail and the flow
   * log topics processes what it has without waiting to fetch the other topic's records first. The
   * two are independent logs (no rule orders one against the other within a task; event-time
   * windows come after a repartition), and with idling on, Kafka Streams 4.4 formats a log line in
   * every process loop for each input partition with nothing buffered (the flow log topic of a
   * CloudTrail-only pipeline): 13% of the detection thread's samples. {@code
   * kafka.max.task.idle.ms} sets another value.
   */
  public static final long NO_TASK_IDLING = -1L;

  /**
   * Kafka Streams settings shared by every Vigil topology: the connection, exactly-once by default,
   * state under the data dir, and an application id made of the configured prefix and the
   * component's name (so two topologies never share consumer groups or state).
   */
  public static Properties properties(ComponentKind kind, PipelineContext context) {
    var config = context.config();
    Properties props = new Properties();
    props.putAll(context.kafka().clientProperties());
    props.put(
        StreamsConfig.APPLICATION_ID_CONFIG,
        config.get(ConfigKeys.STREAMS_APPLICATION_ID) + "-" + kind.configName());
    // Route KTable/global-store processing errors through the same handler as the rest (and silence
    // Kafka Streams' warning that this will become the default).
    props.put("processing.exception.handler.global.enabled", "true");
    // Kafka Streams' assignor builds a second StreamsConfig from the main consumer's settings,
    // which warns again at every start unless the consumer carries the setting too.
    props.put(
        StreamsConfig.mainConsumerPrefix("processing.exception.handler.global.enabled"), "true");
    // Error tier 1: undecodable records go to the DLQ (same value encoding as every topic).
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class);
    props.put(DeadLetterDeserializationHandler.DLQ_TOPIC, context.topics().dlq().name());
    props.putAll(VigilRuntime.registrySettings(config));
    props.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        config.get(ConfigKeys.STREAMS_PROCESSING_GUARANTEE));
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, context.httpAdvertised());
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        config.get(ConfigKeys.STREAMS_COMMIT_INTERVAL).toMillis());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.get(ConfigKeys.STREAMS_NUM_THREADS));
    props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, NO_TASK_IDLING);
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SharedRocksDbMemory.class);
    props.put(
        SharedRocksDbMemory.BUDGET_BYTES,
        Integer.toString(config.get(ConfigKeys.STREAMS_ROCKSDB_MEMORY_BYTES)));
    // Transactional state stores (KIP-892): writes reach RocksDB only with the commit of their
    // changelog transaction, so under exactly-once a store is never wiped and rebuilt from its
    // changelog, after a crash or a clean stop. Without them Kafka Streams 4.4 wipes at every start
    // each task that has a persistent window store holding no segment (so no committed offset) next
    // to stores that hold data: the VPC flow dedup store of a CloudTrail-only pipeline, or a dedup
    // store whose events all expired. kafka.enable.transactional.statestores=false turns them off.
    props.putIfAbsent(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        config
            .find(ConfigKeys.STREAMS_STATE_DIR)
            .orElse(context.dataDir().resolve("streams"))
            .toAbsolutePath()
            .toString());
    // Static membership; Kafka Streams appends each thread's index to the name.
    context
        .kafka()
        .groupInstance()
        .ifPresent(
            id ->
                props.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
    return props;
  }

  /** Something that lives as long as this application (a reloader), closed after it. */
  public StreamsComponent alsoClosing(AutoCloseable resource) {
    resources.add(resource);
    return this;
  }

  @Override
  public ComponentKind kind() {
    return kind;
  }

  @Override
  public void start() {
    streams.start();
  }

  @Override
  public Health health() {
    KafkaStreams.State state = streams.state();
    return switch (state) {
      case RUNNING -> Health.ready(state.name());
      case CREATED, REBALANCING -> Health.starting(state.name());
      case PENDING_SHUTDOWN, NOT_RUNNING -> Health.starting(state.name());
      case PENDING_ERROR, ERROR -> Health.failed(state.name());
    };
  }

  /**
   * Changelog records this application has had to read to restore its stores since it started, by
   * store: what a restart cost. Zero for every persistent store after a clean stop; an in-memory
   * store (the aggregates' suppression buffers) is always read back.
   */
  public Map<String, Long> restoredRecords() {
    return restores.restoredByStore();
  }

  /** The running application, for interactive queries by the HTTP API. */
  public KafkaStreams streams() {
    return streams;
  }

  @Override
  public void close() {
    // Leave the group on an orderly stop: otherwise a restart waits out the old member's session
    // timeout (45 s) in REBALANCING before the group can form again.
    boolean stopped =
        streams.close(
            CloseOptions.timeout(closeTimeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    metrics.close();
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("Error while closing {} of '{}': {}", resource, name(), e.toString());
      }
    }
    if (!stopped) {
      log.warn("Kafka Streams '{}' did not stop within {}", name(), closeTimeout);
    }
  }

  /**
   * Logs each store restoration that read records (Kafka Streams' own logs are at WARN), and counts
   * the restored records on {@code vigil_streams_restored_records_total}.
   */
  private static final class RestoreLog implements StateRestoreListener {

    private final String application;
    private final MeterRegistry registry;
    private final Map<String, LongAdder> restored = new ConcurrentHashMap<>();

    RestoreLog(String application, MeterRegistry registry) {
      this.application = application;
      this.registry = registry;
    }

    @Override
    public void onRestoreStart(
        TopicPartition partition, String store, long startingOffset, long endingOffset) {
      // Under exactly-once the gap is often only a transaction marker: logged at the end, if any.
      restored.computeIfAbsent(store, s -> new LongAdder());
    }

    @Override
    public void onBatchRestored(
        TopicPartition partition, String store, long batchEndOffset, long numRestored) {
      restored.computeIfAbsent(store, s -> new LongAdder()).add(numRestored);
      Counter.builder("vigil.streams.restored.records")
          .description("Changelog records read to restore Kafka Streams state stores")
          .tag("application", application)
          .tag("store", store)
          .register(registry)
          .increment(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
      if (totalRestored > 0) {
        log.info(
            "Kafka Streams '{}' restored {} records of store {} from {}",
            application,
            totalRestored,
            store,
            partition);
      }
    }

    Map<String, Long> restoredByStore() {
      Map<String, Long> counts = new TreeMap<>();
      restored.forEach((store, count) -> counts.put(store, count.sum()));
      return counts;
    }
  }
}
