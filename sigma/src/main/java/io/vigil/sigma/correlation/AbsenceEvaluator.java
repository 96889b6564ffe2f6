package io.vigil.sigma.correlation;

import io.vigil.sigma.model.CorrelationType;
import io.vigil.sigma.model.SigmaCorrelation;
import java.time.Duration;
import java.util.Objects;

/**
 * Evaluates an {@code absence} correlation (Vigil's extension of Sigma, after the absence
 * correlations proposed for Sigma): the first referenced rule matched, and none of the others
 * followed within the timespan in the same group (a trail stopped and not started again within 30
 * minutes). Pure functions over an {@link AbsenceState} per group, as the topology and the scan
 * both drive them.
 *
 * <ul>
 *   <li>A first event waits for a follow-up: an event of the other rules at or after it and within
 *       the timespan. A follow-up seen before (arrived earlier, or backfilled) counts too. While
 *       one waits, later first events of the group wait with it: one follow-up answers them all.
 *   <li>It is decided when its deadline (its time plus the timespan) is past: by stream time plus
 *       the grace period, the same rule as windows; or, for a pipeline whose stream time has
 *       stalled (nothing comes, which is what a stopped trail does), by wall-clock time plus the
 *       grace period and {@link #STALLED_AFTER}. Then the alert goes out with the first event as
 *       evidence.
 * </ul>
 */
public final class AbsenceEvaluator {

  /** How long past a deadline and the grace, in wall-clock time, a stalled stream is waited on. */
  public static final Duration STALLED_AFTER = Duration.ofHours(1);

  /** What became of an event. */
  public enum Outcome {
    /** A first event, now waiting (or with one that waits already). */
    WAITING,
    /** A first event already followed up (by a follow-up that came earlier). */
    ANSWERED,
    /** A follow-up: whatever waited within the timespan before it is answered. */
    FOLLOW_UP
  }

  /** The state to store and the outcome. */
  public record Step(AbsenceState state, Outcome outcome) {}

  private final SigmaCorrelation correlation;
  private final long span;
  private final long grace;

  public AbsenceEvaluator(SigmaCorrelation correlation, Duration grace) {
    this.correlation = Objects.requireNonNull(correlation, "correlation");
    if (correlation.type() != CorrelationType.ABSENCE) {
      throw new IllegalArgumentException(correlation.id() + " is no absence correlation");
    }
    this.span = correlation.timespan().toMillis();
    this.grace = grace.toMillis();
  }

  public SigmaCorrelation correlation() {
    return correlation;
  }

  /** The rule whose match waits for a follow-up: the first referenced. */
  public String firstRule() {
    return correlation.referencedIds().get(0);
  }

  /**
   * Accepts one matching event.
   *
   * @param state the group's state, or null
   * @param input the event
   * @param context what to keep to make the alert if this event is to wait (a serialised hit)
   */
  public Step accept(AbsenceState state, CorrelationInput input, byte[] context) {
    AbsenceState current = state == null ? AbsenceState.EMPTY : state;
    long time = input.timestamp();
    if (!firstRule().equals(input.ruleId())) {
      long last = Math.max(current.lastFollowUp(), time);
      boolean answers =
          current.pending() && time >= current.pendingAt() && time - current.pendingAt() <= span;
      AbsenceState next =
          answers
              ? new AbsenceState(AbsenceState.NONE, null, last, null)
              : new AbsenceState(
                  current.pendingAt(), current.pendingRef(), last, current.context());
      return new Step(next, Outcome.FOLLOW_UP);
    }
    boolean followedAlready =
        current.lastFollowUp() != AbsenceState.NONE
            && current.lastFollowUp() >= time
            && current.lastFollowUp() - time <= span;
    if (followedAlready) {
      return new Step(current, Outcome.ANSWERED);
    }
    if (current.pending() && current.pendingAt() <= time) {
      return new Step(current, Outcome.WAITING);
    }
    return new Step(
        new AbsenceState(time, input.eventRef(), current.lastFollowUp(), context), Outcome.WAITING);
  }

  /**
   * Whether the waiting first event of {@code state} is due: its deadline passed by stream time
   * plus the grace, or by wall-clock time plus the grace and {@link #STALLED_AFTER}.
   */
  public boolean due(AbsenceState state, long streamTime, long wallClock) {
    if (!state.pending()) {
      return false;
    }
    long deadline = state.pendingAt() + span;
    return streamTime >= deadline + grace
        || wallClock >= deadline + grace + STALLED_AFTER.toMillis();
  }

  /** The state once its waiting first event has been raised: nothing waits. */
  public AbsenceState raised(AbsenceState state) {
    return new AbsenceState(AbsenceState.NONE, null, state.lastFollowUp(), null);
  }

  /** Whether a group's state can go: nothing waits, and its last follow-up is past use. */
  public boolean discardable(AbsenceState state, long streamTime) {
    return !state.pending()
        && (state.lastFollowUp() == AbsenceState.NONE
            || streamTime - state.lastFollowUp() > span + grace);
  }
}
