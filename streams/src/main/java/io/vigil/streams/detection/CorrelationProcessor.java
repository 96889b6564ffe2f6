package io.vigil.streams.detection;

import io.vigil.schemas.CorrelationHit;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.RuleMatch;
import io.vigil.schemas.SourceType;
import io.vigil.sigma.correlation.AbsenceState;
import io.vigil.sigma.correlation.CorrelationState;
import io.vigil.sigma.correlation.TermState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates correlation rules on event time: input keyed by (correlation, group), one {@link
 * CorrelationState} per window of each group in a key-value store ({@link
 * DetectionEngine#correlationWindowKey}), a {@link RuleMatch} forwarded when a window fires and for
 * each later event of a fired window; new_terms rules keep their terms in the same store ({@link
 * CorrelationWindows}). A wall-clock punctuation closes the windows that stream time has passed by
 * the grace period and that had no event in the last {@link #IDLE_BEFORE_CLOSE} of wall-clock time
 * (so that logs backfilled behind current traffic keep their windows open while they come), firing
 * those whose condition is only decided at the end; it drops closed windows' markers a grace period
 * later. An event of a closed window is late: not counted, reported to {@code lateEvents} (a
 * metric) and forwarded as a dead letter ({@link #lateEvent}), which the topology writes to the
 * dead-letter topic.
 */
public final class CorrelationProcessor
    implements Processor<String, CorrelationHit, String, SpecificRecord> {

  /** How long a window past its end on stream time stays open while it still gets events. */
  static final Duration IDLE_BEFORE_CLOSE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(CorrelationProcessor.class);

  private final String storeName;
  private final CorrelationWindows windows;
  private final Consumer<CorrelationHit> lateEvents;
  private final Duration punctuateEvery;
  private final Map<String, Long> lastTouchedWallClock = new HashMap<>();
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> store;
  private CorrelationWindows.States states;

  public CorrelationProcessor(
      String storeName,
      Supplier<DetectionEngine> engine,
      Consumer<CorrelationHit> lateEvents,
      Duration punctuateEvery) {
    this.storeName = storeName;
    this.windows = new CorrelationWindows(engine);
    this.lateEvents = lateEvents;
    this.punctuateEvery = punctuateEvery;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.states =
        new CorrelationWindows.States() {
          @Override
          public CorrelationState get(String key) {
            return read(key, store.get(key));
          }

          @Override
          public void put(String key, CorrelationState state) {
            store.put(key, state.toBytes());
          }

          @Override
          public TermState term(String key) {
            return readTerm(key, store.get(key));
          }

          @Override
          public void putTerm(String key, TermState state) {
            store.put(key, state.toBytes());
          }

          @Override
          public AbsenceState absence(String key) {
            return readAbsence(key, store.get(key));
          }

          @Override
          public void putAbsence(String key, AbsenceState state) {
            store.put(key, state.toBytes());
          }

          @Override
          public void delete(String key) {
            store.delete(key);
            lastTouchedWallClock.remove(key);
          }
        };
    context.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, this::advance);
  }

  @Override
  public void process(Record<String, CorrelationHit> record) {
    CorrelationHit hit = record.value();
    if (hit == null) {
      return;
    }
    String key = windows.accept(hit, states, output(record.key(), record.timestamp()));
    if (key != null) {
      lastTouchedWallClock.put(key, context.currentSystemTimeMs());
    }
  }

  private CorrelationWindows.Output output(String recordKey, long timestamp) {
    return new CorrelationWindows.Output() {
      @Override
      public void match(RuleMatch match) {
        context.forward(new Record<>(recordKey, match, timestamp));
      }

      @Override
      public void chained(CorrelationHit hit) {
        // To the correlations over this one, repartitioned by their own group (the topology).
        context.forward(new Record<>(DetectionEngine.correlationKey(hit), hit, timestamp));
      }

      @Override
      public void late(CorrelationHit hit) {
        lateEvents.accept(hit);
        context.forward(
            new Record<>(recordKey, lateEvent(hit, context.currentStreamTimeMs()), timestamp));
      }
    };
  }

  /**
   * The dead letter of an event that came after its correlation window closed: where to find the
   * event (its reference), which window, and why it was not counted.
   */
  static Rejected lateEvent(CorrelationHit hit, long streamTime) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("correlation_id", hit.getCorrelationId());
    attributes.put("event_time", hit.getEventTime().toString());
    attributes.put("stream_time", Instant.ofEpochMilli(Math.max(streamTime, 0)).toString());
    if (hit.getAccountId() != null) {
      attributes.put("account_id", hit.getAccountId());
    }
    return DeadLetters.rejectedInput(
        "late-for-correlation",
        "event "
            + hit.getEventRef()
            + " at "
            + hit.getEventTime()
            + " came after its window of correlation "
            + hit.getCorrelationId()
            + " had closed (stream time past the window's end plus the grace period,"
            + " detection.grace): not counted",
        SourceType.stream,
        hit.getSource() + ":" + hit.getEventRef(),
        new byte[0],
        "detection",
        attributes,
        Instant.now());
  }

  private void advance(long wallClockNow) {
    long streamTime = context.currentStreamTimeMs();
    long idle = IDLE_BEFORE_CLOSE.toMillis();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        boolean idleLongEnough =
            wallClockNow - lastTouchedWallClock.computeIfAbsent(entry.key, k -> wallClockNow)
                >= idle;
        if (CorrelationWindows.isAbsenceKey(entry.key)) {
          AbsenceState absence = readAbsence(entry.key, entry.value);
          if (absence == null) {
            states.delete(entry.key);
          } else {
            windows.advanceAbsence(
                entry.key,
                absence,
                streamTime,
                wallClockNow,
                idleLongEnough,
                states,
                output(entry.key, Math.max(streamTime, 0)));
          }
          continue;
        }
        if (CorrelationWindows.isTermKey(entry.key)) {
          TermState term = readTerm(entry.key, entry.value);
          if (term == null) {
            states.delete(entry.key);
          } else {
            windows.advanceTerm(entry.key, term, streamTime, states);
          }
          continue;
        }
        CorrelationState state = read(entry.key, entry.value);
        if (state == null) {
          states.delete(entry.key);
          continue;
        }
        windows.advance(
            entry.key,
            state,
            streamTime,
            idleLongEnough,
            states,
            output(entry.key, Math.max(streamTime, state.windowStart())));
      }
    }
  }

  private static AbsenceState readAbsence(String key, byte[] stored) {
    if (stored == null) {
      return null;
    }
    try {
      return AbsenceState.fromBytes(stored);
    } catch (IllegalArgumentException unreadable) {
      log.warn("dropping unreadable absence state {}: {}", key, unreadable.getMessage());
      return null;
    }
  }

  private static TermState readTerm(String key, byte[] stored) {
    if (stored == null) {
      return null;
    }
    try {
      return TermState.fromBytes(stored);
    } catch (IllegalArgumentException unreadable) {
      log.warn("dropping unreadable term state {}: {}", key, unreadable.getMessage());
      return null;
    }
  }

  private static CorrelationState read(String key, byte[] stored) {
    if (stored == null) {
      return null;
    }
    try {
      return CorrelationState.fromBytes(stored);
    } catch (IllegalArgumentException unreadable) {
      // A state written by an earlier version (sliding windows): its window starts afresh.
      log.warn("dropping unreadable correlation state {}: {}", key, unreadable.getMessage());
      return null;
    }
  }
}
