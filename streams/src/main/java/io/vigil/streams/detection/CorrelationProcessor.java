package io.vigil.streams.detection;

import io.vigil.schemas.CorrelationHit;
import io.vigil.schemas.RuleMatch;
import io.vigil.sigma.correlation.CorrelationEvaluator;
import io.vigil.sigma.correlation.CorrelationState;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Evaluates correlation rules on event time: input keyed by (correlation, group), one {@link
 * CorrelationState} per key in a key-value store, a {@link RuleMatch} forwarded when a window meets
 * its condition (once per window). Events older than stream time minus the grace period are not
 * counted: each is reported to {@code lateEvents} (a metric) and logged at debug level. A
 * wall-clock punctuation evicts what no window can use any more.
 */
public final class CorrelationProcessor
    implements Processor<String, CorrelationHit, String, RuleMatch> {

  private final String storeName;
  private final Supplier<DetectionEngine> engine;
  private final LongConsumer lateEvents;
  private final Duration punctuateEvery;
  private ProcessorContext<String, RuleMatch> context;
  private KeyValueStore<String, byte[]> states;

  public CorrelationProcessor(
      String storeName,
      Supplier<DetectionEngine> engine,
      LongConsumer lateEvents,
      Duration punctuateEvery) {
    this.storeName = storeName;
    this.engine = engine;
    this.lateEvents = lateEvents;
    this.punctuateEvery = punctuateEvery;
  }

  @Override
  public void init(ProcessorContext<String, RuleMatch> context) {
    this.context = context;
    this.states = context.getStateStore(storeName);
    context.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, now -> evictAll());
  }

  @Override
  public void process(Record<String, CorrelationHit> record) {
    CorrelationHit hit = record.value();
    if (hit == null) {
      return;
    }
    CorrelationEvaluator evaluator = engine.get().evaluator(hit.getCorrelationId()).orElse(null);
    if (evaluator == null) {
      return; // a correlation removed from the rules since the hit was written
    }
    String key = DetectionEngine.correlationKey(hit);
    byte[] stored = states.get(key);
    CorrelationState state = stored == null ? null : CorrelationState.fromBytes(stored);
    CorrelationEvaluator.Step step =
        evaluator.accept(state, DetectionEngine.input(hit), context.currentStreamTimeMs());
    switch (step.outcome()) {
      case LATE -> lateEvents.accept(1);
      case FIRED ->
          context.forward(
              new Record<>(key, engine.get().firingMatch(hit, step.firing()), record.timestamp()));
      default -> {}
    }
    if (step.state() == null || step.state().isEmpty()) {
      states.delete(key);
    } else {
      states.put(key, step.state().toBytes());
    }
  }

  private void evictAll() {
    long streamTime = context.currentStreamTimeMs();
    try (KeyValueIterator<String, byte[]> all = states.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        String correlationId = entry.key.substring(0, entry.key.indexOf('|'));
        CorrelationEvaluator evaluator = engine.get().evaluator(correlationId).orElse(null);
        CorrelationState evicted =
            evaluator == null
                ? null
                : evaluator.evict(CorrelationState.fromBytes(entry.value), streamTime);
        if (evicted == null || evicted.isEmpty()) {
          states.delete(entry.key);
        } else {
          states.put(entry.key, evicted.toBytes());
        }
      }
    }
  }
}
