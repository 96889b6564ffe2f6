package io.vigil.sinks.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters of one sink's feed, tagged only with the sink's name and type and the feed ({@code
 * alerts} or {@code aggregates}), never an alert id, entity or address: those would make one series
 * per alert.
 *
 * <ul>
 *   <li>{@code vigil.sink.sent}: records delivered;
 *   <li>{@code vigil.sink.retried}: retries (attempts after the first);
 *   <li>{@code vigil.sink.failed}: records dead-lettered, tagged {@code
 *       cause=fatal|exhausted|undecodable};
 *   <li>{@code vigil.sink.filtered}: records the sink's filter skipped;
 *   <li>{@code vigil.sink.latency}: time from the first attempt to a successful delivery.
 * </ul>
 */
public final class SinkMetrics {

  private final Counter sent;
  private final Counter retried;
  private final Counter fatal;
  private final Counter exhausted;
  private final Counter undecodable;
  private final Counter filtered;
  private final Timer latency;

  public SinkMetrics(MeterRegistry registry, String sinkName, String sinkType, String feed) {
    Tags tags = Tags.of("sink", sinkName, "type", sinkType, "feed", feed);
    sent = registry.counter("vigil.sink.sent", tags);
    retried = registry.counter("vigil.sink.retried", tags);
    fatal = registry.counter("vigil.sink.failed", tags.and("cause", "fatal"));
    exhausted = registry.counter("vigil.sink.failed", tags.and("cause", "exhausted"));
    undecodable = registry.counter("vigil.sink.failed", tags.and("cause", "undecodable"));
    filtered = registry.counter("vigil.sink.filtered", tags);
    latency =
        Timer.builder("vigil.sink.latency")
            .tags(tags)
            .description("Time from the first delivery attempt to success")
            .register(registry);
  }

  void sent(int records, Duration took) {
    sent.increment(records);
    latency.record(took);
  }

  void retried() {
    retried.increment();
  }

  void failed(boolean retriesExhausted) {
    (retriesExhausted ? exhausted : fatal).increment();
  }

  void undecodable() {
    undecodable.increment();
  }

  void filtered() {
    filtered.increment();
  }

  double sentCount() {
    return sent.count();
  }

  double failedCount() {
    return fatal.count() + exhausted.count() + undecodable.count();
  }
}
