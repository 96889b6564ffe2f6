package io.vigil.streams.detection;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertState;
import io.vigil.schemas.RuleMatch;
import io.vigil.streams.alerts.AlertRenderer;
import io.vigil.streams.alerts.AlertSuppressor;
import io.vigil.streams.alerts.RuleInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns rule matches into alerts with {@link AlertSuppressor}'s semantics: input keyed by the
 * suppression group (rule, account, entity), output keyed by the alert's dedup key. Stateful: one
 * key-value store of open alerts, one entry per group and window. A wall-clock punctuation emits
 * updates held back by the update interval once stream time has moved past it (or once the matches
 * stopped coming), and drops alerts whose window closed: stream time past its end plus the grace
 * period, nothing held back, and no match for it in the last {@link #IDLE_BEFORE_DROP} of
 * wall-clock time (logs backfilled behind stream time keep their windows while they come).
 */
public final class AlertSuppressionProcessor
    implements Processor<String, RuleMatch, String, Alert> {

  private final String storeName;
  private final AlertSuppressor suppressor;
  private final AlertRenderer renderer;
  private final Function<String, Optional<RuleInfo>> rules;
  private final Duration grace;
  private final Duration punctuateEvery;
  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, AlertState> states;
  // Wall-clock time of each alert's last emission, in memory only: after a restart pending updates
  // simply go out at the first punctuation.
  private final Map<String, Long> lastEmittedWallClock = new HashMap<>();

  /** Wall-clock time an alert was last touched by a match; after a restart, the restart. */
  private final Map<String, Long> lastTouchedWallClock = new HashMap<>();

  /** How long an alert whose window closed on stream time is kept while it still gets matches. */
  static final Duration IDLE_BEFORE_DROP = Duration.ofMinutes(1);

  public AlertSuppressionProcessor(
      String storeName,
      AlertSuppressor suppressor,
      AlertRenderer renderer,
      Function<String, Optional<RuleInfo>> rules,
      Duration grace,
      Duration punctuateEvery) {
    this.storeName = storeName;
    this.suppressor = suppressor;
    this.renderer = renderer;
    this.rules = rules;
    this.grace = grace;
    this.punctuateEvery = punctuateEvery;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.states = context.getStateStore(storeName);
    context.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, this::flushAndExpire);
  }

  @Override
  public void process(Record<String, RuleMatch> record) {
    RuleMatch match = record.value();
    if (match == null) {
      return;
    }
    String key = suppressor.stateKey(match);
    AlertSuppressor.Outcome outcome = suppressor.apply(Optional.ofNullable(states.get(key)), match);
    states.put(key, outcome.state());
    lastTouchedWallClock.put(key, context.currentSystemTimeMs());
    if (outcome.emit()) {
      emit(key, outcome.state(), record.timestamp());
    }
  }

  /**
   * Emits held-back updates once the update interval has passed in event time or, when the events
   * stopped coming, in wall-clock time (otherwise the last count of a burst would never go out),
   * and drops alerts whose window closed.
   */
  private void flushAndExpire(long wallClockNow) {
    Instant streamTime = Instant.ofEpochMilli(context.currentStreamTimeMs());
    long interval = suppressor.updateInterval().toMillis();
    try (KeyValueIterator<String, AlertState> all = states.all()) {
      while (all.hasNext()) {
        KeyValue<String, AlertState> entry = all.next();
        AlertState state = entry.value;
        boolean quietLongEnough =
            state.getPending()
                && wallClockNow - lastEmittedWallClock.getOrDefault(entry.key, Long.MIN_VALUE / 2)
                    >= interval;
        if (suppressor.flushDue(state, streamTime) || quietLongEnough) {
          AlertState flushed = suppressor.flush(state, streamTime).orElseThrow();
          states.put(entry.key, flushed);
          emit(
              entry.key,
              flushed,
              Math.max(streamTime.toEpochMilli(), flushed.getLastSeen().toEpochMilli()));
        } else if (AlertSuppressor.expired(state, streamTime, grace)
            && wallClockNow - lastTouchedWallClock.computeIfAbsent(entry.key, k -> wallClockNow)
                >= IDLE_BEFORE_DROP.toMillis()) {
          states.delete(entry.key);
          lastEmittedWallClock.remove(entry.key);
          lastTouchedWallClock.remove(entry.key);
        }
      }
    }
  }

  private void emit(String key, AlertState state, long timestamp) {
    lastEmittedWallClock.put(key, context.currentSystemTimeMs());
    // A rule removed since the alert opened still gets its alert out, with what the state knows.
    RuleInfo rule =
        rules.apply(state.getRuleId()).orElseGet(() -> RuleInfo.unknown(state.getRuleId()));
    context.forward(new Record<>(state.getDedupKey(), renderer.render(state, rule), timestamp));
  }
}
