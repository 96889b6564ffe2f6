package io.vigil.streams.detection;

import io.vigil.schemas.AvroTrust;
import io.vigil.schemas.CorrelationHit;
import io.vigil.schemas.RuleMatch;
import io.vigil.sigma.correlation.AbsenceEvaluator;
import io.vigil.sigma.correlation.AbsenceState;
import io.vigil.sigma.correlation.CorrelationEvaluator;
import io.vigil.sigma.correlation.CorrelationFiring;
import io.vigil.sigma.correlation.CorrelationInput;
import io.vigil.sigma.correlation.CorrelationState;
import io.vigil.sigma.correlation.NewTermsEvaluator;
import io.vigil.sigma.correlation.TermState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The correlation steps that the topology's {@link CorrelationProcessor} and the {@link
 * OfflineDetector} both take, over a store of window states keyed by {@link
 * DetectionEngine#correlationWindowKey}: accepting a hit into its window, and closing or dropping a
 * window as stream time moves on. One implementation, so the pipeline and {@code vigil scan} count
 * the same.
 *
 * <p>The new_terms correlations keep {@link TermState}s in the same store: one per term, keyed
 * {@code <correlation>|term|<group>} (the term is the group), and one for the rule's data, keyed
 * {@code <correlation>|data}; hits are partitioned by correlation and group, so a term's state
 * lives with its hits. The data state is per partition: where a rule's terms spread over several
 * partitions, each learns from the first event it sees. Absence correlations keep an {@link
 * AbsenceState} per group, keyed {@code <correlation>|absence|<group>}.
 */
final class CorrelationWindows {

  /** Where the window, term and absence states live: a Kafka Streams store or maps. */
  interface States {
    CorrelationState get(String key);

    void put(String key, CorrelationState state);

    TermState term(String key);

    void putTerm(String key, TermState state);

    AbsenceState absence(String key);

    void putAbsence(String key, AbsenceState state);

    void delete(String key);
  }

  /**
   * What the steps produce: matches for the alert path, late hits for metrics, and the hits a
   * firing gives the correlations over it (to be accepted where those correlations' states are).
   */
  interface Output {
    void match(RuleMatch match);

    void late(CorrelationHit hit);

    void chained(CorrelationHit hit);
  }

  private static final String TERM = "|term|";
  private static final String DATA = "|data";
  private static final String ABSENCE = "|absence|";

  private final Supplier<DetectionEngine> engine;

  CorrelationWindows(Supplier<DetectionEngine> engine) {
    this.engine = engine;
  }

  /**
   * Counts a hit in its window; returns the key of the window, or null when the hit's correlation
   * is no longer among the rules.
   */
  String accept(CorrelationHit hit, States states, Output out) {
    DetectionEngine current = engine.get();
    NewTermsEvaluator newTerms = current.newTermsEvaluator(hit.getCorrelationId()).orElse(null);
    if (newTerms != null) {
      return acceptTerm(hit, newTerms, current, states, out);
    }
    AbsenceEvaluator absence = current.absenceEvaluator(hit.getCorrelationId()).orElse(null);
    if (absence != null) {
      String key = hit.getCorrelationId() + ABSENCE + hit.getGroupKey();
      AbsenceEvaluator.Step step =
          absence.accept(states.absence(key), DetectionEngine.input(hit), toBytes(hit));
      states.putAbsence(key, step.state());
      return key;
    }
    CorrelationEvaluator evaluator = current.evaluator(hit.getCorrelationId()).orElse(null);
    if (evaluator == null) {
      return null;
    }
    CorrelationInput input = DetectionEngine.input(hit);
    String key =
        DetectionEngine.correlationWindowKey(hit, evaluator.windowStart(input.timestamp()));
    CorrelationEvaluator.Step step = evaluator.accept(states.get(key), input);
    switch (step.outcome()) {
      case LATE -> out.late(hit);
      case FIRED -> fired(current, hit, step.firing(), out);
      case ADDED -> {
        if (current.raisesOwnAlerts(hit.getCorrelationId())) {
          out.match(current.firingMatch(hit, step.firing()));
        }
      }
      default -> {}
    }
    CorrelationState state = step.state();
    if (evaluator.decidedAtClose() && !state.closed() && state.context() == null) {
      // The window's alert is made when it closes, when no hit is at hand: keep one now.
      state = state.withContext(toBytes(hit));
    }
    states.put(key, state);
    return key;
  }

  /** A window fired: its alert (unless only correlations over it hear of it), and their hits. */
  private static void fired(
      DetectionEngine current, CorrelationHit last, CorrelationFiring firing, Output out) {
    if (current.raisesOwnAlerts(last.getCorrelationId())) {
      out.match(current.firingMatch(last, firing));
    }
    current.chainedHits(last, firing).forEach(out::chained);
  }

  private String acceptTerm(
      CorrelationHit hit,
      NewTermsEvaluator evaluator,
      DetectionEngine current,
      States states,
      Output out) {
    String termKey = hit.getCorrelationId() + TERM + hit.getGroupKey();
    String dataKey = hit.getCorrelationId() + DATA;
    NewTermsEvaluator.Step step =
        evaluator.accept(
            states.term(termKey), states.term(dataKey), hit.getEventTime().toEpochMilli());
    if (step.outcome() == NewTermsEvaluator.Outcome.NEW) {
      out.match(current.newTermMatch(hit, evaluator));
    }
    states.putTerm(termKey, step.term());
    states.putTerm(dataKey, step.data());
    return termKey;
  }

  /** Whether a stored key holds a {@link TermState}. */
  static boolean isTermKey(String key) {
    int bar = key.indexOf('|');
    return key.startsWith(TERM, bar) || key.startsWith(DATA, bar) && key.length() == bar + 5;
  }

  /** Whether a stored key holds an {@link AbsenceState}. */
  static boolean isAbsenceKey(String key) {
    return key.startsWith(ABSENCE, key.indexOf('|'));
  }

  /**
   * Moves one absence group on: raises its waiting first event when due ({@link
   * AbsenceEvaluator#due}) and {@code mayClose} (the caller's idle condition, as for windows),
   * drops the state once nothing waits.
   */
  void advanceAbsence(
      String key,
      AbsenceState state,
      long streamTime,
      long wallClock,
      boolean mayClose,
      States states,
      Output out) {
    DetectionEngine current = engine.get();
    AbsenceEvaluator evaluator = current.absenceEvaluator(correlationIdOf(key)).orElse(null);
    if (evaluator == null) {
      states.delete(key);
      return;
    }
    AbsenceState next = state;
    boolean due = mayClose && evaluator.due(state, streamTime, wallClock);
    if (due && state.context() != null) {
      out.match(current.absenceMatch(fromBytes(state.context()), evaluator));
      next = evaluator.raised(state);
    }
    if (evaluator.discardable(next, streamTime)) {
      states.delete(key);
    } else if (next != state) {
      states.putAbsence(key, next);
    }
  }

  /** Drops a term's (or a new_terms rule's data) state once its history is past. */
  void advanceTerm(String key, TermState state, long streamTime, States states) {
    NewTermsEvaluator evaluator = engine.get().newTermsEvaluator(correlationIdOf(key)).orElse(null);
    if (evaluator == null || evaluator.discardable(state, streamTime)) {
      states.delete(key);
    }
  }

  /**
   * Moves one stored window on at {@code streamTime}: closes it when stream time has passed its end
   * by the grace period and {@code mayClose} (the caller's own condition, e.g. idle long enough),
   * firing a window decided at its end; drops a closed window's marker once due, or a window whose
   * correlation is gone.
   */
  void advance(
      String key,
      CorrelationState state,
      long streamTime,
      boolean mayClose,
      States states,
      Output out) {
    CorrelationEvaluator evaluator = evaluatorOf(key).orElse(null);
    if (evaluator == null || evaluator.discardable(state, streamTime)) {
      states.delete(key);
    } else if (mayClose && evaluator.closable(state, streamTime)) {
      close(key, state, evaluator, states, out);
    }
  }

  /** Closes every open window, as at the end of a scan. */
  void closeNow(String key, CorrelationState state, States states, Output out) {
    evaluatorOf(key).ifPresent(evaluator -> close(key, state, evaluator, states, out));
  }

  /** The evaluator of a window's key: its correlation id runs up to the first {@code |}. */
  private Optional<CorrelationEvaluator> evaluatorOf(String key) {
    return engine.get().evaluator(correlationIdOf(key));
  }

  /** The correlation a stored key belongs to: every key starts with its id, up to a {@code |}. */
  private static String correlationIdOf(String key) {
    return key.substring(0, key.indexOf('|'));
  }

  private void close(
      String key,
      CorrelationState state,
      CorrelationEvaluator evaluator,
      States states,
      Output out) {
    if (state.closed()) {
      return;
    }
    CorrelationEvaluator.Step closed = evaluator.close(state);
    CorrelationFiring firing = closed.firing();
    if (firing != null && state.context() != null) {
      fired(engine.get(), fromBytes(state.context()), firing, out);
    }
    states.put(key, closed.state());
  }

  private static byte[] toBytes(CorrelationHit hit) {
    try {
      ByteBuffer buffer = hit.toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a correlation hit", e);
    }
  }

  private static CorrelationHit fromBytes(byte[] bytes) {
    // Outside a serde (vigil scan reads no topic) nothing else has told Avro to trust our classes,
    // and the jar runs without Avro's trusted-packages property.
    AvroTrust.ensureVigilClassesTrusted();
    try {
      return CorrelationHit.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a correlation window's hit", e);
    }
  }
}
