package io.vigil.sigma.correlation;

import io.vigil.sigma.model.CorrelationCondition;
import io.vigil.sigma.model.CorrelationType;
import io.vigil.sigma.model.SigmaCorrelation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Evaluates one correlation rule on event time, one window of one group at a time, with pure
 * functions over a {@link CorrelationState}: the same code serves a Kafka Streams processor (state
 * in a key-value store keyed by correlation, group key and window) and an offline scan (state in a
 * map), so both give the same alerts for the same events, whatever order they come in.
 *
 * <h2>Windows</h2>
 *
 * Windows are aligned on event time: the window of an event at {@code t} is {@code [start, start +
 * timespan)} with {@code start = floor(t / timespan) * timespan} (as a SIEM's time buckets). Each
 * event belongs to exactly one window of its group, so what a window counts does not depend on the
 * order the events arrive in, on other groups, or on how far other events have moved stream time:
 * logs backfilled behind current traffic are counted in their own windows as if they had come on
 * time. The price of that: a burst that straddles a window boundary is counted in two windows.
 *
 * <h2>When it fires</h2>
 *
 * <ul>
 *   <li>The condition is tested on the window's event count ({@code event_count}), its number of
 *       distinct non-null values of the field ({@code value_count}), the sum of the field ({@code
 *       value_sum}), the mean, a percentile or the median of its numbers, rounded down ({@code
 *       value_avg}, {@code value_percentile}, {@code value_median}, nearest rank; a window with no
 *       number in the field never fires), or the number of referenced rules seen ({@code temporal};
 *       {@code temporal_ordered}: the length of the rule order matched as a subsequence in time
 *       order); temporal rules default to "all of them".
 *   <li>A condition without an upper bound ({@code gt}, {@code gte}) fires as soon as an event
 *       makes it hold, once per window, with every event the window counted so far; each later
 *       event of that window is {@link Outcome#ADDED} to the alert (a firing of one event), so the
 *       alert's count ends as the window's count.
 *   <li>A condition with an upper bound ({@code lt}, {@code lte}, {@code eq}, ranges) can turn
 *       false again, so it is decided when the window closes ({@link #close}): {@code lt: 3} fires
 *       for a window that held one or two events.
 * </ul>
 *
 * <h2>Closing and late events</h2>
 *
 * The caller closes a window once its stream time is past the window's end plus the grace period
 * ({@link #closable}); the window then leaves a small closed marker, and an event of it that still
 * arrives is {@link Outcome#LATE}: not counted, reported by the caller. The marker is dropped once
 * stream time is a further grace period on ({@link #discardable}). At most {@code maxEntries}
 * entries are kept per window until it fires (the oldest go first, counted in {@link
 * CorrelationState#dropped()}); value_count keeps, per distinct value, only the latest occurrence;
 * temporal the latest of each rule; temporal_ordered the first of each run of one rule.
 */
public final class CorrelationEvaluator {

  /** Default grace period for late events. */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);

  /** Default cap on remembered events per window. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  /** At most this many event references are reported with a firing. */
  public static final int MAX_EVENT_REFS = 50;

  /** What became of an event. */
  public enum Outcome {
    /** Counted in its window; the condition does not hold (or is decided when it closes). */
    COUNTED,
    /** Counted, and the condition now holds: {@link Step#firing()} has the window's events. */
    FIRED,
    /** Counted in a window that already fired: {@link Step#firing()} adds this one event. */
    ADDED,
    /** Its window is closed: dropped, state unchanged. */
    LATE
  }

  /**
   * The result of one event: the new state to store, the outcome and, when it fired or added to a
   * fired window, the firing.
   */
  public record Step(CorrelationState state, Outcome outcome, CorrelationFiring firing) {}

  private final SigmaCorrelation correlation;
  private final long span;
  private final long grace;
  private final int maxEntries;
  private final CorrelationCondition condition;

  /** An evaluator with the default grace (15 min) and cap. */
  public CorrelationEvaluator(SigmaCorrelation correlation) {
    this(correlation, DEFAULT_GRACE, DEFAULT_MAX_ENTRIES);
  }

  /**
   * @param correlation the rule (its referenced rules resolved by a {@link
   *     io.vigil.sigma.model.RuleSet})
   * @param grace how long after stream time passed a window's end it is still open
   * @param maxEntries cap on remembered events per window
   */
  public CorrelationEvaluator(SigmaCorrelation correlation, Duration grace, int maxEntries) {
    this.correlation = Objects.requireNonNull(correlation, "correlation");
    this.span = correlation.timespan().toMillis();
    this.grace = grace.toMillis();
    if (this.grace < 0 || maxEntries < 1 || span < 1) {
      throw new IllegalArgumentException("grace must be >= 0, maxEntries and timespan >= 1");
    }
    this.maxEntries = maxEntries;
    this.condition = correlation.condition();
  }

  /** The correlation evaluated. */
  public SigmaCorrelation correlation() {
    return correlation;
  }

  /** Start of the window that holds an event at {@code timestamp} (epoch millis). */
  public long windowStart(long timestamp) {
    return Math.floorDiv(timestamp, span) * span;
  }

  /**
   * Accepts one matching event of this group.
   *
   * @param state the state of the event's window ({@link #windowStart} of its time), or null when
   *     the window has none yet
   * @param input what the correlation keeps of the event ({@link CorrelationInput#of})
   */
  public Step accept(CorrelationState state, CorrelationInput input) {
    long ts = input.timestamp();
    long start = windowStart(ts);
    CorrelationState current = state == null ? CorrelationState.open(start) : state;
    if (current.windowStart() != start) {
      throw new IllegalArgumentException(
          "event at " + ts + " given the state of the window at " + current.windowStart());
    }
    if (current.closed()) {
      return new Step(current, Outcome.LATE, null);
    }
    if (current.fired()) {
      List<String> refs = input.eventRef() == null ? List.of() : List.of(input.eventRef());
      return new Step(
          current.withEntries(List.of(), current.events() + 1, current.dropped()),
          Outcome.ADDED,
          new CorrelationFiring(correlation, start, ts, current.firedValue(), 1, refs));
    }
    List<CorrelationState.Entry> entries = new ArrayList<>(current.entries().size() + 1);
    entries.addAll(current.entries());
    int at = entries.size();
    while (at > 0 && entries.get(at - 1).timestamp() > ts) {
      at--;
    }
    entries.add(
        at, new CorrelationState.Entry(ts, input.ruleId(), input.value(), input.eventRef()));
    if (correlation.type() == CorrelationType.TEMPORAL) {
      // Only which rules were seen counts: the latest occurrence of each is enough to report.
      keepLatest(entries, CorrelationState.Entry::ruleId, input.ruleId());
    } else if (correlation.type() == CorrelationType.TEMPORAL_ORDERED) {
      keepFirstOfRun(entries, at);
    }
    if (correlation.type() == CorrelationType.VALUE_COUNT && input.value() != null) {
      keepLatest(entries, CorrelationState.Entry::value, input.value());
      // The event's other values, one entry each, so that each is counted as a distinct value.
      for (String more : input.moreValues()) {
        int after = entries.size();
        while (after > 0 && entries.get(after - 1).timestamp() > ts) {
          after--;
        }
        entries.add(after, new CorrelationState.Entry(ts, input.ruleId(), more, input.eventRef()));
        keepLatest(entries, CorrelationState.Entry::value, more);
      }
    }
    long dropped = current.dropped();
    while (entries.size() > maxEntries) {
      entries.remove(0);
      dropped++;
    }
    long events = current.events() + 1;
    if (!condition.hasUpperBound()) {
      CorrelationFiring firing = test(entries, start, events);
      if (firing != null) {
        return new Step(current.firedWith(firing.value(), events, dropped), Outcome.FIRED, firing);
      }
    }
    return new Step(current.withEntries(entries, events, dropped), Outcome.COUNTED, null);
  }

  /**
   * True when the condition is decided only when a window closes (it has an upper bound): the
   * caller then keeps what it needs to make the alert with the state ({@link
   * CorrelationState#withContext}).
   */
  public boolean decidedAtClose() {
    return condition.hasUpperBound();
  }

  /** Whether the window of {@code state} is to be closed at {@code streamTime}. */
  public boolean closable(CorrelationState state, long streamTime) {
    return !state.closed() && streamTime >= state.windowStart() + span + grace;
  }

  /**
   * Closes a window: a condition with an upper bound is decided now (the step says {@link
   * Outcome#FIRED} with the firing when it holds, else {@link Outcome#COUNTED}); the state becomes
   * the closed marker.
   */
  public Step close(CorrelationState state) {
    if (state.closed()) {
      return new Step(state, Outcome.COUNTED, null);
    }
    CorrelationState marker = state.closedMarker();
    if (condition.hasUpperBound() && !state.fired()) {
      CorrelationFiring firing = test(state.entries(), state.windowStart(), state.events());
      if (firing != null) {
        return new Step(marker, Outcome.FIRED, firing);
      }
    }
    return new Step(marker, Outcome.COUNTED, null);
  }

  /** Whether a closed window's marker can go: stream time is a grace period past its closing. */
  public boolean discardable(CorrelationState state, long streamTime) {
    return state.closed() && streamTime >= state.windowStart() + span + 2 * grace;
  }

  /**
   * Keeps only the latest entry whose {@code field} is {@code key}: a window counts a value (or,
   * for temporal, a rule) once, and the latest occurrence is the one to report.
   */
  private static void keepLatest(
      List<CorrelationState.Entry> entries,
      Function<CorrelationState.Entry, String> field,
      String key) {
    int latest = -1;
    for (int i = 0; i < entries.size(); i++) {
      if (key.equals(field.apply(entries.get(i)))) {
        latest = i;
      }
    }
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (i != latest && key.equals(field.apply(entries.get(i)))) {
        entries.remove(i);
      }
    }
  }

  /**
   * Keeps the entry just inserted at {@code at} only if it starts a run of its rule: matching the
   * rule order as a subsequence takes the first of a run of one rule, so the others change nothing
   * (and a window of one rule repeated stays one entry, not one per event).
   */
  private static void keepFirstOfRun(List<CorrelationState.Entry> entries, int at) {
    String rule = entries.get(at).ruleId();
    if (at > 0 && entries.get(at - 1).ruleId().equals(rule)) {
      entries.remove(at);
    } else if (at + 1 < entries.size() && entries.get(at + 1).ruleId().equals(rule)) {
      entries.remove(at + 1);
    }
  }

  /** The firing for a window of {@code events} events with these entries, or null. */
  private CorrelationFiring test(List<CorrelationState.Entry> window, long start, long events) {
    if (window.isEmpty() && !condition.test(0)) {
      return null;
    }
    if (isDistribution() && numbers(window).length == 0) {
      // A mean or percentile of no numbers is none, not 0.
      return null;
    }
    long value = measure(window);
    if (!condition.test(value)) {
      return null;
    }
    // An event counted with several values has several entries: report it once.
    Set<String> refs = new LinkedHashSet<>();
    for (CorrelationState.Entry entry : window) {
      if (entry.eventRef() != null && refs.size() < MAX_EVENT_REFS) {
        refs.add(entry.eventRef());
      }
    }
    long last = window.isEmpty() ? start : window.get(window.size() - 1).timestamp();
    return new CorrelationFiring(correlation, start, last, value, events, List.copyOf(refs));
  }

  private long measure(List<CorrelationState.Entry> window) {
    switch (correlation.type()) {
      case EVENT_COUNT:
        return window.size();
      case VALUE_COUNT:
        {
          Set<String> distinct = new HashSet<>();
          for (CorrelationState.Entry entry : window) {
            if (entry.value() != null) {
              distinct.add(entry.value());
            }
          }
          return distinct.size();
        }
      case VALUE_SUM:
        {
          long sum = 0;
          for (CorrelationState.Entry entry : window) {
            sum += numeric(entry.value());
          }
          return sum;
        }
      case VALUE_AVG:
        {
          double[] numbers = numbers(window);
          double sum = 0;
          for (double number : numbers) {
            sum += number;
          }
          return (long) Math.floor(sum / numbers.length);
        }
      case VALUE_PERCENTILE:
      case VALUE_MEDIAN:
        {
          double[] numbers = numbers(window);
          Arrays.sort(numbers);
          // Nearest rank: the smallest value with at least p% of the values at or below it.
          int rank = (int) Math.ceil(correlation.percentile() / 100.0 * numbers.length);
          return (long) Math.floor(numbers[Math.max(rank, 1) - 1]);
        }
      case TEMPORAL:
        {
          Set<String> seen = new HashSet<>();
          for (CorrelationState.Entry entry : window) {
            seen.add(entry.ruleId());
          }
          return correlation.referencedIds().stream().filter(seen::contains).count();
        }
      case TEMPORAL_ORDERED:
        {
          List<String> order = correlation.referencedIds();
          int matched = 0;
          for (CorrelationState.Entry entry : window) {
            if (matched < order.size() && order.get(matched).equals(entry.ruleId())) {
              matched++;
            }
          }
          return matched;
        }
      default:
        throw new IllegalStateException("unknown correlation type " + correlation.type());
    }
  }

  private boolean isDistribution() {
    CorrelationType type = correlation.type();
    return type == CorrelationType.VALUE_AVG
        || type == CorrelationType.VALUE_PERCENTILE
        || type == CorrelationType.VALUE_MEDIAN;
  }

  /** The window's values that are numbers; an absent value or text is no number. */
  private static double[] numbers(List<CorrelationState.Entry> window) {
    double[] numbers = new double[window.size()];
    int count = 0;
    for (CorrelationState.Entry entry : window) {
      if (entry.value() == null) {
        continue;
      }
      try {
        double number = Double.parseDouble(entry.value().trim());
        if (Double.isFinite(number)) {
          numbers[count++] = number;
        }
      } catch (NumberFormatException notANumber) {
        // Not counted.
      }
    }
    return Arrays.copyOf(numbers, count);
  }

  /** A summed value: a whole number, or 0 when absent or not a number (it adds nothing). */
  private static long numeric(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException notAWholeNumber) {
      try {
        return (long) Double.parseDouble(value.trim());
      } catch (NumberFormatException notANumber) {
        return 0;
      }
    }
  }
}
