package io.vigil.streams.detection;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertState;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.CorrelationHit;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.RuleMatch;
import io.vigil.sigma.correlation.AbsenceState;
import io.vigil.sigma.correlation.CorrelationState;
import io.vigil.sigma.correlation.TermState;
import io.vigil.streams.alerts.AlertRenderer;
import io.vigil.streams.alerts.AlertSuppressor;
import io.vigil.streams.alerts.EvidenceMasker;
import io.vigil.streams.alerts.RuleInfo;
import io.vigil.streams.aws.EventTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The detection topology's semantics without Kafka, for {@code vigil scan}: the same engine,
 * duplicate filter (by event id within the retention), correlation windows on event time ({@link
 * CorrelationWindows}, the processor's code) with the same grace period, and the same alert
 * suppression, in plain maps. Events may come in any order; stream time is the latest event time
 * seen, as in Kafka Streams. Memory stays bounded by what the windows need: seen ids, correlation
 * windows and open alerts are closed and evicted as stream time moves on, and {@link #finish}
 * closes what is left, as the topology does once its windows have been idle. Not thread-safe: one
 * scan, one detector, fed from one thread. Rule evaluation, the stateless part, may be done
 * beforehand on other threads ({@link #accept(CloudTrailEvent, DetectionEngine.Evaluation)}).
 */
public final class OfflineDetector {

  private final DetectionEngine engine;
  private final DetectionSettings settings;
  private final AlertSuppressor suppressor;
  private final AlertRenderer renderer;
  private final Consumer<Alert> out;
  private final long dedupRetention;

  /** Event time of the first sighting, by CloudTrail eventID and by flow record_ref. */
  private final Map<String, Long> seenEvents = new HashMap<>();

  private final Map<String, Long> seenFlows = new HashMap<>();
  private final Map<String, CorrelationState> correlations = new HashMap<>();
  private final Map<String, TermState> terms = new HashMap<>();
  private final Map<String, AbsenceState> absences = new HashMap<>();
  private final LongSupplier wallClock;
  private final CorrelationWindows windows;
  private final CorrelationWindows.States correlationStates;
  private final CorrelationWindows.Output correlationOutput;
  private final Map<String, AlertState> alerts = new LinkedHashMap<>();
  private long streamTime = Long.MIN_VALUE;
  private long lastEviction = Long.MIN_VALUE;
  private long lastSeenEviction = Long.MIN_VALUE;

  /** The earliest stream time at which a held-back update of an open alert is due. */
  private long nextFlushDue = Long.MAX_VALUE;

  private long duplicates;
  private long lateEvents;
  private long alertsEmitted;

  public OfflineDetector(DetectionEngine engine, DetectionSettings settings, Consumer<Alert> out) {
    this(engine, settings, out, System::currentTimeMillis);
  }

  /**
   * A detector whose end of input ({@link #finish}) decides absences at {@code wallClock}'s time
   * rather than the system's: for replaying events as of a moment (the demo's scenarios).
   */
  public OfflineDetector(
      DetectionEngine engine,
      DetectionSettings settings,
      Consumer<Alert> out,
      LongSupplier wallClock) {
    this.wallClock = wallClock;
    this.engine = engine;
    this.settings = settings;
    this.dedupRetention = settings.dedupRetention().toMillis();
    this.suppressor = new AlertSuppressor(settings.suppression());
    this.renderer =
        new AlertRenderer(
            new EvidenceMasker(settings.maskedEvidenceFields()), settings.accountNames());
    this.out = out;
    this.windows = new CorrelationWindows(() -> engine);
    this.correlationStates =
        new CorrelationWindows.States() {
          @Override
          public CorrelationState get(String key) {
            return correlations.get(key);
          }

          @Override
          public void put(String key, CorrelationState state) {
            correlations.put(key, state);
          }

          @Override
          public TermState term(String key) {
            return terms.get(key);
          }

          @Override
          public void putTerm(String key, TermState state) {
            terms.put(key, state);
          }

          @Override
          public AbsenceState absence(String key) {
            return absences.get(key);
          }

          @Override
          public void putAbsence(String key, AbsenceState state) {
            absences.put(key, state);
          }

          @Override
          public void delete(String key) {
            correlations.remove(key);
            terms.remove(key);
            absences.remove(key);
          }
        };
    this.correlationOutput =
        new CorrelationWindows.Output() {
          @Override
          public void match(RuleMatch match) {
            suppress(match);
          }

          @Override
          public void late(CorrelationHit hit) {
            lateEvents++;
          }

          @Override
          public void chained(CorrelationHit hit) {
            windows.accept(hit, correlationStates, this);
          }
        };
  }

  public void accept(CloudTrailEvent event) {
    cloudTrail(event, null);
  }

  public void accept(FlowRecord record) {
    flow(record, null);
  }

  /**
   * As {@link #accept(CloudTrailEvent)}, with the event already evaluated: {@code evaluation} must
   * be what this detector's engine's {@link DetectionEngine#evaluate(CloudTrailEvent)} returned for
   * {@code event}. Evaluation is stateless, so it may run elsewhere (on the worker threads of a
   * parallel scan) while the stateful part stays here, in input order; the outcome is the same as
   * {@link #accept(CloudTrailEvent)}'s. A duplicate's evaluation is dropped unused.
   */
  public void accept(CloudTrailEvent event, DetectionEngine.Evaluation evaluation) {
    cloudTrail(event, Objects.requireNonNull(evaluation, "evaluation"));
  }

  /** As {@link #accept(CloudTrailEvent, DetectionEngine.Evaluation)}, for a flow record. */
  public void accept(FlowRecord record, DetectionEngine.Evaluation evaluation) {
    flow(record, Objects.requireNonNull(evaluation, "evaluation"));
  }

  /**
   * A dead letter of the decoders: a gap ({@link IngestGaps}) or a missing log file ({@link
   * MissingLogFiles}) raises its alert, as in the topology; any other rejection is not a finding.
   * Stream time is left alone: a gap has no event time.
   */
  public void accept(Rejected rejected) {
    if (MissingLogFiles.isMissing(rejected)) {
      suppress(MissingLogFiles.match(rejected));
    } else if (IngestGaps.isGap(rejected)) {
      suppress(IngestGaps.match(rejected));
    }
  }

  /** {@code evaluated} null: evaluate here, and only when the event is not a duplicate. */
  private void cloudTrail(CloudTrailEvent event, DetectionEngine.Evaluation evaluated) {
    long time = eventTime(event);
    if (firstTime(seenEvents, event.getEventID(), time)) {
      process(evaluated != null ? evaluated : engine.evaluate(event), time);
    }
  }

  private void flow(FlowRecord record, DetectionEngine.Evaluation evaluated) {
    long time = eventTime(record);
    if (firstTime(seenFlows, record.getRecordRef(), time)) {
      process(evaluated != null ? evaluated : engine.evaluate(record), time);
    }
  }

  /**
   * The event time of the event, by the topologies' rule ({@link EventTimes}); where the record has
   * none, the stream time stands in for the Kafka record's timestamp.
   */
  long eventTime(CloudTrailEvent event) {
    return EventTimes.of(event, Math.max(streamTime, 0));
  }

  /** As {@link #eventTime(CloudTrailEvent)}, for a flow record. */
  long eventTime(FlowRecord record) {
    return EventTimes.of(record, Math.max(streamTime, 0));
  }

  /**
   * Closes every correlation window (firing those decided at their end) and emits every alert
   * update still held back; call once at the end of the input.
   */
  public void finish() {
    for (Map.Entry<String, CorrelationState> entry : new ArrayList<>(correlations.entrySet())) {
      windows.closeNow(entry.getKey(), entry.getValue(), correlationStates, correlationOutput);
    }
    // At the end of the input, as a pipeline whose stream stalled: a first event whose deadline
    // is past by the grace and AbsenceEvaluator.STALLED_AFTER in wall-clock time is raised.
    advanceAbsences(wallClock.getAsLong());
    Instant now = Instant.ofEpochMilli(Math.max(streamTime, 0));
    for (AlertState state : new ArrayList<>(alerts.values())) {
      suppressor.flush(state, now).ifPresent(this::emit);
    }
    alerts.clear();
  }

  public long duplicates() {
    return duplicates;
  }

  /** Correlation events that arrived after the grace period and were not counted. */
  public long lateEvents() {
    return lateEvents;
  }

  public long alertsEmitted() {
    return alertsEmitted;
  }

  /**
   * One map operation for the usual case (a new id): this runs for every event on the scan's one
   * stateful thread. A duplicate puts the first sighting's time back.
   */
  private boolean firstTime(Map<String, Long> seen, String id, long time) {
    Long earlier = seen.put(id, time);
    if (earlier != null && Math.abs(earlier - time) <= dedupRetention) {
      seen.put(id, earlier);
      duplicates++;
      return false;
    }
    return true;
  }

  private void process(DetectionEngine.Evaluation evaluation, long time) {
    for (RuleMatch match : evaluation.matches()) {
      suppress(match);
    }
    for (CorrelationHit hit : evaluation.hits()) {
      windows.accept(hit, correlationStates, correlationOutput);
    }
    streamTime = Math.max(streamTime, time);
    flushDue();
    maybeEvict();
  }

  private void suppress(RuleMatch match) {
    String key = suppressor.stateKey(match);
    AlertSuppressor.Outcome outcome = suppressor.apply(Optional.ofNullable(alerts.get(key)), match);
    alerts.put(key, outcome.state());
    nextFlushDue = Math.min(nextFlushDue, suppressor.flushDueMillis(outcome.state()));
    if (outcome.emit()) {
      emit(outcome.state());
    }
  }

  /** Like the topology's punctuation, on stream time: held-back updates go out once due. */
  private void flushDue() {
    // The walk over every open alert runs only when one is due: this runs after every event, on
    // the scan's one stateful thread, and a large scan holds many open alerts.
    if (streamTime < nextFlushDue) {
      return;
    }
    Instant now = Instant.ofEpochMilli(streamTime);
    long next = Long.MAX_VALUE;
    for (Map.Entry<String, AlertState> entry : alerts.entrySet()) {
      if (suppressor.flushDue(entry.getValue(), now)) {
        AlertState flushed = suppressor.flush(entry.getValue(), now).orElseThrow();
        entry.setValue(flushed);
        emit(flushed);
      }
      next = Math.min(next, suppressor.flushDueMillis(entry.getValue()));
    }
    nextFlushDue = next;
  }

  /** Drops what no later event can need; runs at most once per minute of stream time. */
  private void maybeEvict() {
    if (lastEviction != Long.MIN_VALUE && streamTime - lastEviction < 60_000) {
      return;
    }
    lastEviction = streamTime;
    // Seen ids are walked a 24th of the retention apart, not every minute: the walk covers every
    // id of the retention (a day of events by default) and finds a minute's worth to drop. A stale
    // id kept longer changes nothing (firstTime compares the times), and memory grows by a 24th.
    if (lastSeenEviction == Long.MIN_VALUE
        || streamTime - lastSeenEviction >= Math.max(60_000, dedupRetention / 24)) {
      lastSeenEviction = streamTime;
      seenEvents.values().removeIf(t -> t < streamTime - dedupRetention);
      seenFlows.values().removeIf(t -> t < streamTime - dedupRetention);
    }
    Instant now = Instant.ofEpochMilli(streamTime);
    Duration grace = settings.grace();
    alerts.values().removeIf(s -> AlertSuppressor.expired(s, now, grace));
    for (Map.Entry<String, CorrelationState> entry : new ArrayList<>(correlations.entrySet())) {
      windows.advance(
          entry.getKey(), entry.getValue(), streamTime, true, correlationStates, correlationOutput);
    }
    for (Map.Entry<String, TermState> entry : new ArrayList<>(terms.entrySet())) {
      windows.advanceTerm(entry.getKey(), entry.getValue(), streamTime, correlationStates);
    }
    // While input comes, only stream time decides an absence: the scanned logs are in the past,
    // and wall-clock time would call every follow-up still to come missing.
    advanceAbsences(Long.MIN_VALUE);
  }

  private void advanceAbsences(long wallClockNow) {
    for (Map.Entry<String, AbsenceState> entry : new ArrayList<>(absences.entrySet())) {
      windows.advanceAbsence(
          entry.getKey(),
          entry.getValue(),
          streamTime,
          wallClockNow,
          true,
          correlationStates,
          correlationOutput);
    }
  }

  private void emit(AlertState state) {
    RuleInfo rule =
        engine.info(state.getRuleId()).orElseGet(() -> RuleInfo.unknown(state.getRuleId()));
    alertsEmitted++;
    out.accept(renderer.render(state, rule));
  }
}
