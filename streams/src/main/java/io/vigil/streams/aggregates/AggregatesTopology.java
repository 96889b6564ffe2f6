package io.vigil.streams.aggregates;

import io.vigil.schemas.Aggregate;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import io.vigil.streams.aws.EventTimeExtractor;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Windowed counts and sums over the event streams, written to {@code vigil.aggregates}: CloudTrail
 * events per account, region, eventSource and eventName; errors per errorCode; console logins by
 * outcome; top principals; flow bytes and packets by action, top talkers, top address pairs and top
 * destination ports.
 *
 * <p>Event-time tumbling windows of each configured size (default 1 min and 1 h). Each window is
 * emitted once, after its grace period (suppressed until the window closes), keyed by {@code
 * <aggregate key>@<window start>/<window size>}. Stateful: one window store and one suppression
 * buffer per window size, both bounded by retention, and one all-time store of the keys seen
 * ({@link #SEEN_STORE}); per-key series exist only for low-cardinality dimensions, and everything
 * keyed by an address or a principal is a bounded top-N summary ({@link TopN}). Repartitions once:
 * the contributions, by aggregate key.
 */
public final class AggregatesTopology {

  /**
   * Every aggregate key ever seen with its all-time count, first (window_start) and last
   * (window_end) event time: which events arrived at all, and when last (for rule coverage: was the
   * telemetry a rule needs seen). Not windowed, so kept as long as the pipeline runs; keys are
   * low-cardinality by design (no address or principal in a key).
   */
  public static final String SEEN_STORE = "aggregates-seen";

  private AggregatesTopology() {}

  public static void build(StreamsBuilder builder, VigilTopics topics, AggregateSettings settings) {
    Topic<String, CloudTrailEvent> cloudtrail = topics.cloudtrail();
    Topic<String, FlowRecord> vpcflow = topics.vpcflow();
    Topic<String, Aggregate> aggregates = topics.aggregates();
    Serde<Aggregate> serde = aggregates.valueSerde();

    KStream<String, Aggregate> fromCloudTrail =
        builder.stream(
                cloudtrail.name(),
                Consumed.with(cloudtrail.keySerde(), cloudtrail.valueSerde())
                    .withTimestampExtractor(new EventTimeExtractor())
                    .withName("aggregates-cloudtrail-source"))
            .filter((k, v) -> v != null, Named.as("aggregates-cloudtrail-not-null"))
            .flatMap(
                (k, event) -> AggregateContributions.of(event),
                Named.as("aggregates-cloudtrail-contributions"));
    KStream<String, Aggregate> fromFlows =
        builder.stream(
                vpcflow.name(),
                Consumed.with(vpcflow.keySerde(), vpcflow.valueSerde())
                    .withTimestampExtractor(new EventTimeExtractor())
                    .withName("aggregates-vpcflow-source"))
            .filter((k, v) -> v != null, Named.as("aggregates-vpcflow-not-null"))
            .flatMap(
                (k, flow) -> AggregateContributions.of(flow),
                Named.as("aggregates-vpcflow-contributions"));

    KGroupedStream<String, Aggregate> grouped =
        fromCloudTrail
            .merge(fromFlows, Named.as("aggregates-contributions"))
            .groupByKey(Grouped.with("aggregates-by-key", aggregates.keySerde(), serde));

    grouped.reduce(
        AggregatesTopology::mergeSeen,
        Named.as("aggregates-seen-reduce"),
        Materialized.<String, Aggregate, KeyValueStore<Bytes, byte[]>>as(SEEN_STORE)
            .withKeySerde(aggregates.keySerde())
            .withValueSerde(serde));

    int capacity = settings.summaryCapacity();
    for (Duration size : settings.windows()) {
      String suffix = label(size);
      grouped
          .windowedBy(TimeWindows.ofSizeAndGrace(size, settings.grace()))
          .reduce(
              (a, b) -> merge(a, b, capacity),
              Named.as("aggregates-reduce-" + suffix),
              Materialized.<String, Aggregate, WindowStore<Bytes, byte[]>>as("aggregates-" + suffix)
                  .withKeySerde(aggregates.keySerde())
                  .withValueSerde(serde))
          .suppress(
              Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                  .withName("aggregates-until-close-" + suffix))
          .toStream(Named.as("aggregates-closed-" + suffix))
          .map(
              (windowed, aggregate) -> finish(windowed, aggregate, size, settings.topN()),
              Named.as("aggregates-finish-" + suffix))
          .to(
              aggregates.name(),
              Produced.with(aggregates.keySerde(), serde).withName("aggregates-sink-" + suffix));
    }
  }

  /** All-time count, first and last event time; no sums or top lists (they would only grow). */
  static Aggregate mergeSeen(Aggregate a, Aggregate b) {
    return new Aggregate(
        a.getName(),
        a.getDimensions(),
        a.getWindowStart().isBefore(b.getWindowStart()) ? a.getWindowStart() : b.getWindowStart(),
        a.getWindowEnd().isAfter(b.getWindowEnd()) ? a.getWindowEnd() : b.getWindowEnd(),
        a.getCount() + b.getCount(),
        null,
        null);
  }

  static Aggregate merge(Aggregate a, Aggregate b, int capacity) {
    Aggregate merged = Aggregate.newBuilder(a).build();
    merged.setCount(a.getCount() + b.getCount());
    if (a.getSum() != null || b.getSum() != null) {
      merged.setSum((a.getSum() == null ? 0 : a.getSum()) + (b.getSum() == null ? 0 : b.getSum()));
    }
    if (a.getTop() != null || b.getTop() != null) {
      merged.setTop(
          TopN.merge(
              a.getTop() == null ? List.of() : a.getTop(),
              b.getTop() == null ? List.of() : b.getTop(),
              capacity));
    }
    return merged;
  }

  private static KeyValue<String, Aggregate> finish(
      Windowed<String> windowed, Aggregate aggregate, Duration size, int topN) {
    Aggregate out =
        Aggregate.newBuilder(aggregate)
            .setWindowStart(windowed.window().startTime())
            .setWindowEnd(windowed.window().endTime())
            .setTop(aggregate.getTop() == null ? null : TopN.top(aggregate.getTop(), topN))
            .build();
    return KeyValue.pair(windowed.key() + "@" + windowed.window().start() + "/" + label(size), out);
  }

  /**
   * The short name of a window size ({@code 1m}, {@code 1h}), as in store names and aggregate keys.
   */
  public static String label(Duration size) {
    long seconds = size.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
