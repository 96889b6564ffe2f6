package io.vigil.streams.detection;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertState;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.CorrelationHit;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.RuleMatch;
import io.vigil.schemas.SingleObjectSerdeFactory;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import io.vigil.streams.alerts.AlertMutes;
import io.vigil.streams.alerts.AlertRenderer;
import io.vigil.streams.alerts.AlertSuppressor;
import io.vigil.streams.alerts.EvidenceMasker;
import io.vigil.streams.aws.EventTimeExtractor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The detection topology: CloudTrail events and flow records in, alerts out.
 *
 * <ol>
 *   <li>Each input drops duplicates by identity (CloudTrail {@code eventID}, flow {@code
 *       record_ref}) within {@code dedupRetention}: stateful (a window store per input), no
 *       repartition, because the input topics are keyed so that duplicates share a partition
 *       (docs/architecture.md, "Topics and records").
 *   <li>Every event is evaluated once against all rules, where it is: single-event rules become
 *       {@link RuleMatch}es, rules that feed correlations become {@link CorrelationHit}s.
 *   <li>Only the hits are repartitioned, by (correlation, group-by values), to the {@link
 *       CorrelationProcessor} (stateful, one state per group), whose firings are matches. The hits
 *       of correlations over correlations, and the hits the firings give them, go through a second
 *       repartition to a second processor (its own store): one level of chaining.
 *   <li>Gaps of the decoders (dead letters of {@code vigil.dlq} marked {@code gap}) become matches
 *       of {@link IngestGaps#RULE_ID}, log files a CloudTrail digest listed and nobody ingested
 *       (marked {@code missing_log_file}) of {@link MissingLogFiles#RULE_ID}: stateless, no
 *       repartition before the alert path.
 *   <li>Matches (single-event, correlation, gaps and any extra stream, such as posture findings)
 *       are repartitioned by (rule, account, entity) to the {@link AlertSuppressionProcessor}
 *       (stateful: open alerts), which writes alerts to {@code vigil.alerts} keyed by dedup key.
 * </ol>
 *
 * Internal records use Avro single-object encoding whatever the topics' encoding: they never leave
 * this application.
 */
public final class DetectionTopology {

  public static final String CLOUDTRAIL_SEEN_STORE = "detection-cloudtrail-seen";
  public static final String VPCFLOW_SEEN_STORE = "detection-vpcflow-seen";
  public static final String CORRELATION_STORE = "detection-correlations";
  public static final String CHAINED_CORRELATION_STORE = "detection-chained-correlations";
  public static final String ALERT_STORE = "detection-alerts";

  private DetectionTopology() {}

  /**
   * Builds the topology. {@code extraMatches} (posture findings) join the alert path; {@code
   * observer} hears of late correlation events and of every alert publication (for metrics).
   */
  public static void build(
      StreamsBuilder builder,
      VigilTopics topics,
      DetectionEngine engine,
      DetectionSettings settings,
      Optional<KStream<String, RuleMatch>> extraMatches,
      DetectionObserver observer) {
    build(builder, topics, () -> engine, settings, extraMatches, observer);
  }

  /**
   * As above, with the engine looked up for every record, so that the caller can swap in a reloaded
   * one (new threat-intelligence lists) while the topology runs.
   */
  public static void build(
      StreamsBuilder builder,
      VigilTopics topics,
      Supplier<DetectionEngine> engine,
      DetectionSettings settings,
      Optional<KStream<String, RuleMatch>> extraMatches,
      DetectionObserver observer) {
    build(builder, topics, engine, settings, extraMatches, observer, AlertMutes.NONE);
  }

  /** As above, with the alerts' publications marked by the {@code mutes} in force. */
  public static void build(
      StreamsBuilder builder,
      VigilTopics topics,
      Supplier<DetectionEngine> engine,
      DetectionSettings settings,
      Optional<KStream<String, RuleMatch>> extraMatches,
      DetectionObserver observer,
      AlertMutes mutes) {
    SingleObjectSerdeFactory internal = new SingleObjectSerdeFactory();
    Serde<RuleMatch> matchSerde = internal.valueSerde(RuleMatch.class, "detection-matches");
    Serde<CorrelationHit> hitSerde =
        internal.valueSerde(CorrelationHit.class, "detection-correlation-hits");
    Serde<AlertState> stateSerde = internal.valueSerde(AlertState.class, "detection-alert-state");
    Duration retention = settings.dedupRetention();

    builder.addStateStore(seenStore(CLOUDTRAIL_SEEN_STORE, retention));
    builder.addStateStore(seenStore(VPCFLOW_SEEN_STORE, retention));
    // The correlation and alert stores are cached: a busy group's state, updated by every event,
    // reaches RocksDB and its changelog once per commit instead of once per event (measured: 1.1
    // changelog records per input event down to 0.02). The duplicate filter's ids are all new keys,
    // which a cache would only hold up.
    builder.addStateStore(cachedStore(CORRELATION_STORE, Serdes.ByteArray()));
    builder.addStateStore(cachedStore(CHAINED_CORRELATION_STORE, Serdes.ByteArray()));
    builder.addStateStore(cachedStore(ALERT_STORE, stateSerde));

    Topic<String, CloudTrailEvent> cloudtrail = topics.cloudtrail();
    KStream<String, DetectionEngine.Evaluation> fromCloudTrail =
        builder.stream(
                cloudtrail.name(),
                Consumed.with(cloudtrail.keySerde(), cloudtrail.valueSerde())
                    .withTimestampExtractor(new EventTimeExtractor())
                    .withName("detection-cloudtrail-source"))
            .process(
                () ->
                    new DuplicateEventFilter<>(
                        CLOUDTRAIL_SEEN_STORE, retention, CloudTrailEvent::getEventID),
                Named.as("detection-cloudtrail-dedup"),
                CLOUDTRAIL_SEEN_STORE)
            .mapValues(
                event -> engine.get().evaluate(event), Named.as("detection-cloudtrail-evaluate"));

    Topic<String, FlowRecord> vpcflow = topics.vpcflow();
    KStream<String, DetectionEngine.Evaluation> fromFlows =
        builder.stream(
                vpcflow.name(),
                Consumed.with(vpcflow.keySerde(), vpcflow.valueSerde())
                    .withTimestampExtractor(new EventTimeExtractor())
                    .withName("detection-vpcflow-source"))
            .process(
                () ->
                    new DuplicateEventFilter<>(
                        VPCFLOW_SEEN_STORE, retention, FlowRecord::getRecordRef),
                Named.as("detection-vpcflow-dedup"),
                VPCFLOW_SEEN_STORE)
            .mapValues(flow -> engine.get().evaluate(flow), Named.as("detection-vpcflow-evaluate"));

    KStream<String, DetectionEngine.Evaluation> evaluations =
        fromCloudTrail
            .merge(fromFlows, Named.as("detection-evaluations"))
            .filter((k, e) -> !e.isEmpty(), Named.as("detection-any-match"));

    KStream<String, RuleMatch> singleEventMatches =
        evaluations.flatMapValues(
            DetectionEngine.Evaluation::matches, Named.as("detection-single-event-matches"));

    KStream<String, CorrelationHit> hits =
        evaluations.flatMap(
            (k, e) ->
                e.hits().stream()
                    .map(h -> KeyValue.pair(DetectionEngine.correlationKey(h), h))
                    .toList(),
            Named.as("detection-correlation-hits"));
    KStream<String, SpecificRecord> overRulesOutput =
        hits.filterNot(
                (k, h) -> engine.get().overCorrelations(h.getCorrelationId()),
                Named.as("detection-hits-over-rules"))
            .repartition(
                Repartitioned.with(Serdes.String(), hitSerde)
                    .withName("detection-correlation-hits-by-group"))
            .process(
                () ->
                    new CorrelationProcessor(
                        CORRELATION_STORE,
                        engine,
                        hit -> observer.lateEvents(1),
                        Duration.ofSeconds(30)),
                Named.as("detection-correlate"),
                CORRELATION_STORE);
    // Correlations over correlations: the firings' hits and the events' own hits meet again by
    // the outer correlation's group, in a second stage with its own store.
    KStream<String, CorrelationHit> chainedHits =
        overRulesOutput
            .filter((k, v) -> v instanceof CorrelationHit, Named.as("detection-chained-hits"))
            .mapValues(v -> (CorrelationHit) v, Named.as("detection-chained-hits-as-hits"));
    KStream<String, SpecificRecord> overCorrelationsOutput =
        hits.filter(
                (k, h) -> engine.get().overCorrelations(h.getCorrelationId()),
                Named.as("detection-hits-over-correlations"))
            .merge(chainedHits, Named.as("detection-hits-of-chained-correlations"))
            .repartition(
                Repartitioned.with(Serdes.String(), hitSerde)
                    .withName("detection-chained-hits-by-group"))
            .process(
                () ->
                    new CorrelationProcessor(
                        CHAINED_CORRELATION_STORE,
                        engine,
                        hit -> observer.lateEvents(1),
                        Duration.ofSeconds(30)),
                Named.as("detection-correlate-chained"),
                CHAINED_CORRELATION_STORE);
    KStream<String, SpecificRecord> correlationOutput =
        overRulesOutput
            .filterNot((k, v) -> v instanceof CorrelationHit, Named.as("detection-firings"))
            .merge(overCorrelationsOutput, Named.as("detection-all-firings"));
    // Events too late for their correlation window go to the dead-letter topic, for vigil dlq.
    Topic<String, Rejected> dlq = topics.dlq();
    correlationOutput
        .filter((k, v) -> v instanceof Rejected, Named.as("detection-late-events"))
        .mapValues(v -> (Rejected) v, Named.as("detection-late-events-as-dead-letters"))
        .to(
            dlq.name(),
            Produced.with(dlq.keySerde(), dlq.valueSerde()).withName("detection-late-events-sink"));
    KStream<String, RuleMatch> correlationMatches =
        correlationOutput
            .filter((k, v) -> v instanceof RuleMatch, Named.as("detection-correlation-firings"))
            .mapValues(v -> (RuleMatch) v, Named.as("detection-correlation-matches"));

    // Gaps the decoders could not read past, and log files a digest listed that never arrived,
    // are findings of their own (IngestGaps, MissingLogFiles).
    KStream<String, RuleMatch> gapMatches =
        builder.stream(
                dlq.name(),
                Consumed.with(dlq.keySerde(), dlq.valueSerde()).withName("detection-dlq-source"))
            .filter(
                (k, rejected) -> IngestGaps.isGap(rejected) || MissingLogFiles.isMissing(rejected),
                Named.as("detection-ingest-gaps"))
            .mapValues(
                rejected ->
                    MissingLogFiles.isMissing(rejected)
                        ? MissingLogFiles.match(rejected)
                        : IngestGaps.match(rejected),
                Named.as("detection-ingest-gap-matches"));
    KStream<String, RuleMatch> allMatches =
        singleEventMatches
            .merge(correlationMatches, Named.as("detection-matches"))
            .merge(gapMatches, Named.as("detection-matches-with-gaps"));
    if (extraMatches.isPresent()) {
      allMatches = allMatches.merge(extraMatches.get(), Named.as("detection-matches-with-extra"));
    }

    AlertSuppressor suppressor = new AlertSuppressor(settings.suppression());
    AlertRenderer renderer =
        new AlertRenderer(
            new EvidenceMasker(settings.maskedEvidenceFields()), settings.accountNames(), mutes);
    Topic<String, Alert> alerts = topics.alerts();
    allMatches
        .selectKey(
            (k, match) -> AlertSuppressor.groupKey(match), Named.as("detection-key-by-alert-group"))
        .repartition(
            Repartitioned.with(Serdes.String(), matchSerde)
                .withName("detection-matches-by-alert-group"))
        .process(
            () ->
                new AlertSuppressionProcessor(
                    ALERT_STORE,
                    suppressor,
                    renderer,
                    id -> engine.get().info(id),
                    settings.grace(),
                    flushInterval(settings)),
            Named.as("detection-suppress"),
            ALERT_STORE)
        .peek((k, alert) -> observer.alertPublished(alert), Named.as("detection-observe-alerts"))
        .to(
            alerts.name(),
            Produced.with(alerts.keySerde(), alerts.valueSerde())
                .withName("detection-alerts-sink"));
  }

  /**
   * The store of a {@link DuplicateEventFilter}: the ids it saw, on wall-clock time, kept twice the
   * retention (the filter looks that far on either side of now).
   */
  public static StoreBuilder<WindowStore<String, Long>> seenStore(String name, Duration retention) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(
            name, retention.multipliedBy(2), retention.multipliedBy(2), false),
        Serdes.String(),
        Serdes.Long());
  }

  /** A persistent store keyed by group, cached: flushed to RocksDB and its changelog per commit. */
  private static <V> StoreBuilder<KeyValueStore<String, V>> cachedStore(
      String name, Serde<V> values) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), values)
        .withCachingEnabled();
  }

  /** Held-back updates are checked for a few times per update interval (at most every 30 s). */
  private static Duration flushInterval(DetectionSettings settings) {
    Duration quarter = settings.suppression().updateInterval().dividedBy(4);
    Duration max = Duration.ofSeconds(30);
    Duration min = Duration.ofSeconds(1);
    return quarter.compareTo(max) > 0 ? max : quarter.compareTo(min) < 0 ? min : quarter;
  }

  static List<String> storeNames() {
    return List.of(
        CLOUDTRAIL_SEEN_STORE,
        VPCFLOW_SEEN_STORE,
        CORRELATION_STORE,
        CHAINED_CORRELATION_STORE,
        ALERT_STORE);
  }
}
