package io.vigil.sigma.correlation;

import io.vigil.sigma.model.CorrelationType;
import io.vigil.sigma.model.SigmaCorrelation;
import java.time.Duration;
import java.util.Objects;

/**
 * Evaluates a {@code new_terms} correlation (Vigil's extension of Sigma) with pure functions over
 * {@link TermState}s, so a Kafka Streams processor (a key-value store) and an offline scan (a map)
 * decide alike.
 *
 * <p>A term is the group-by values of a matching event (e.g. principal and event name). It is
 * <em>new</em> when no sighting of it lies within the history (the rule's timespan) before the
 * event, judged in the order events arrive: an event older than the term's latest sighting is not
 * new. A new term raises an alert unless the rule is still learning: for the learning period after
 * the first event time the rule saw (its data state, kept beside the terms), terms are only
 * remembered, so a fresh install does not page for everything it has not seen yet. Older logs
 * ingested first seed the history, and end the learning period if they go back far enough.
 *
 * <p>State is bounded by the history: a term not seen for the history plus the grace period is
 * forgotten ({@link #discardable}), and so is the data state when the rule saw nothing that long
 * (its learning then starts afresh, as its history is empty).
 */
public final class NewTermsEvaluator {

  /** What became of an event. */
  public enum Outcome {
    /** Its term had a sighting within the history. */
    SEEN,
    /** Its term is new, but the rule is within its learning period: remembered only. */
    LEARNED,
    /** Its term is new: an alert. */
    NEW
  }

  /** The result of one event: the term's and the rule's data state to store, and the outcome. */
  public record Step(TermState term, TermState data, Outcome outcome) {}

  private final SigmaCorrelation correlation;
  private final long history;
  private final long learning;
  private final long grace;

  /**
   * @param correlation a new_terms correlation
   * @param learning its learning period (the rule's own, or the configuration's override)
   * @param grace how long past the history a term is kept for late events
   */
  public NewTermsEvaluator(SigmaCorrelation correlation, Duration learning, Duration grace) {
    this.correlation = Objects.requireNonNull(correlation, "correlation");
    if (correlation.type() != CorrelationType.NEW_TERMS) {
      throw new IllegalArgumentException(correlation.id() + " is no new_terms correlation");
    }
    this.history = correlation.timespan().toMillis();
    this.learning = learning.toMillis();
    this.grace = grace.toMillis();
    if (this.learning < 0 || this.grace < 0) {
      throw new IllegalArgumentException("learning and grace must be >= 0");
    }
  }

  public SigmaCorrelation correlation() {
    return correlation;
  }

  /** The learning period in force. */
  public Duration learning() {
    return Duration.ofMillis(learning);
  }

  /**
   * Accepts one matching event.
   *
   * @param term the state of the event's term, or null when it has none
   * @param data the rule's data state, or null before its first event
   * @param time the event's time, epoch millis
   */
  public Step accept(TermState term, TermState data, long time) {
    // A state past its history counts as none, whether or not it has been dropped yet, so the
    // outcome does not depend on when the caller gets round to dropping it.
    TermState nextData = lapsed(data, time) ? TermState.first(time) : data.seenAt(time);
    boolean unseen = lapsed(term, time);
    if (!unseen) {
      return new Step(term.seenAt(time), nextData, Outcome.SEEN);
    }
    // A term back after its history lapsed starts a new history.
    TermState fresh = TermState.first(time);
    boolean learning = time - nextData.firstSeen() < this.learning;
    return new Step(fresh, nextData, learning ? Outcome.LEARNED : Outcome.NEW);
  }

  private boolean lapsed(TermState state, long time) {
    return state == null || time - state.lastSeen() > history;
  }

  /** Whether a term's (or the data's) state can go: unseen for the history plus the grace. */
  public boolean discardable(TermState state, long streamTime) {
    return streamTime - state.lastSeen() > history + grace;
  }
}
