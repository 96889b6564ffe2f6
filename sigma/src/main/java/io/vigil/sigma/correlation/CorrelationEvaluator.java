package io.vigil.sigma.correlation;

import io.vigil.sigma.model.CorrelationCondition;
import io.vigil.sigma.model.CorrelationType;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates one correlation rule on event time, one group at a time, with pure functions over a
 * {@link CorrelationState}: the same code serves a Kafka Streams processor (state in a key-value
 * store keyed by correlation and group key, stream time from the processor context) and an offline
 * scan (state in a map, stream time the latest event time read).
 *
 * <h2>When it fires</h2>
 *
 * <ul>
 *   <li>A window is anchored at an event: it holds the remembered events whose time is in {@code
 *       (anchor - timespan, anchor]}, so two events share a window when their times differ by less
 *       than the timespan.
 *   <li>When an event is accepted, the windows that contain it are tested oldest anchor first (for
 *       in-order input that is just the window ending at the new event; for out-of-order input also
 *       windows anchored at later events within a timespan of it). The condition is tested on the
 *       window's event count ({@code event_count}), its number of distinct non-null values of the
 *       field ({@code value_count}), or the number of referenced rules seen ({@code temporal};
 *       {@code temporal_ordered}: the length of the rule order matched as a subsequence in time
 *       order); temporal rules default to "all of them".
 *   <li>It fires once, for the first window where the condition holds. The events up to that
 *       window's end are then consumed: later events that would only extend the same burst do not
 *       fire again, and a late event at or before the fired window's end is absorbed. The next
 *       firing needs a new set of events, all later than the fired window, that satisfies the
 *       condition on its own. (The integrator's alert suppression comes on top.)
 *   <li>Conditions without a lower bound ({@code lt}, {@code lte}) are tested the same way, when an
 *       event arrives: {@code lt: 3} fires for an event whose group saw fewer than 3 events in the
 *       timespan up to it (a rare-event rule), not at the end of a quiet window.
 * </ul>
 *
 * <h2>Late events and bounds</h2>
 *
 * An event older than stream time minus the grace period is late: it is not counted, the state is
 * unchanged, and the step says so, for the caller's metric and report. Entries older than stream
 * time minus timespan minus grace can no longer be in a window that fires and are evicted; at most
 * {@code maxEntries} are kept per group (the oldest go first, counted in {@link
 * CorrelationState#dropped()}). value_count keeps, per distinct value, only the occurrences that
 * decide which windows hold it (see {@link #thin}: the latest, and older ones about two per
 * timespan), so a repeated value costs a few entries, not one per flow, and events arriving out of
 * order still find every value their window held.
 */
public final class CorrelationEvaluator {

  /** Default grace period for late events. */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);

  /** Default cap on remembered events per group. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  /** At most this many event references are reported with a firing. */
  public static final int MAX_EVENT_REFS = 50;

  /** What became of an event. */
  public enum Outcome {
    /** Remembered; the condition does not hold yet. */
    COUNTED,
    /** Remembered and the condition now holds: {@link Step#firing()} is set. */
    FIRED,
    /** At or before the end of a window that already fired: part of that alert, not counted. */
    ABSORBED,
    /** Older than stream time minus grace: dropped, state unchanged. */
    LATE
  }

  /**
   * The result of one event: the new state (to store; {@code null} when nothing needs keeping), the
   * outcome and, when it fired, the firing.
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
   * @param grace how long after stream time passed an event it is still accepted
   * @param maxEntries cap on remembered events per group
   */
  public CorrelationEvaluator(SigmaCorrelation correlation, Duration grace, int maxEntries) {
    this.correlation = Objects.requireNonNull(correlation, "correlation");
    this.span = correlation.timespan().toMillis();
    this.grace = grace.toMillis();
    if (this.grace < 0 || maxEntries < 1) {
      throw new IllegalArgumentException("grace must be >= 0 and maxEntries >= 1");
    }
    this.maxEntries = maxEntries;
    this.condition = correlation.condition();
  }

  /** The correlation evaluated. */
  public SigmaCorrelation correlation() {
    return correlation;
  }

  /**
   * Accepts one matching event of this group.
   *
   * @param state the group's state, or null for a new group
   * @param input what the correlation keeps of the event ({@link CorrelationInput#of})
   * @param streamTime the caller's stream time before this event (partition stream time, or the
   *     latest event time of the scan); {@code Long.MIN_VALUE} when unknown
   */
  public Step accept(CorrelationState state, CorrelationInput input, long streamTime) {
    CorrelationState current = state == null ? CorrelationState.empty() : state;
    long now = Math.max(streamTime, current.maxSeen());
    long ts = input.timestamp();
    if (now != Long.MIN_VALUE && ts < now - grace) {
      return new Step(state, Outcome.LATE, null);
    }
    long maxSeen = Math.max(now, ts);
    if (ts <= current.firedThrough()) {
      return new Step(
          evicted(current.entries(), current.firedThrough(), maxSeen, current.dropped()),
          Outcome.ABSORBED,
          null);
    }
    List<CorrelationState.Entry> entries = new ArrayList<>(current.entries().size() + 1);
    entries.addAll(current.entries());
    int at = entries.size();
    while (at > 0 && entries.get(at - 1).timestamp() > ts) {
      at--;
    }
    entries.add(
        at, new CorrelationState.Entry(ts, input.ruleId(), input.value(), input.eventRef()));
    if (correlation.type() == CorrelationType.VALUE_COUNT && input.value() != null) {
      thin(entries, input.value());
    }
    long dropped = current.dropped();
    while (entries.size() > maxEntries) {
      entries.remove(0);
      dropped++;
    }
    // The windows that contain the new event are those anchored at or after it, within a timespan.
    at = 0;
    while (at < entries.size() && entries.get(at).timestamp() < ts) {
      at++;
    }
    long tested = Long.MIN_VALUE;
    for (int anchor = at; anchor < entries.size(); anchor++) {
      long end = entries.get(anchor).timestamp();
      if (end - ts >= span) {
        break;
      }
      if (end == tested) {
        continue; // events at the same time share one window
      }
      tested = end;
      CorrelationFiring firing = test(entries, anchor);
      if (firing != null) {
        List<CorrelationState.Entry> rest =
            new ArrayList<>(entries.subList(anchor + 1, entries.size()));
        // Events at the same time as the anchor belong to the fired window too.
        rest.removeIf(e -> e.timestamp() <= end);
        return new Step(evicted(rest, end, maxSeen, dropped), Outcome.FIRED, firing);
      }
    }
    return new Step(
        evicted(entries, current.firedThrough(), maxSeen, dropped), Outcome.COUNTED, null);
  }

  /**
   * Drops what can no longer matter at {@code streamTime} (for a punctuator or the end of a scan);
   * null when nothing is left to keep, so the caller can delete the group.
   */
  public CorrelationState evict(CorrelationState state, long streamTime) {
    if (state == null) {
      return null;
    }
    return evicted(
        state.entries(),
        state.firedThrough(),
        Math.max(streamTime, state.maxSeen()),
        state.dropped());
  }

  private CorrelationState evicted(
      List<CorrelationState.Entry> entries, long firedThrough, long maxSeen, long dropped) {
    long horizon = maxSeen == Long.MIN_VALUE ? Long.MIN_VALUE : maxSeen - span - grace;
    List<CorrelationState.Entry> kept = new ArrayList<>(entries.size());
    for (CorrelationState.Entry entry : entries) {
      if (entry.timestamp() > horizon) {
        kept.add(entry);
      }
    }
    // The fired mark only matters while a not-late event could still fall at or before it.
    long mark =
        firedThrough != Long.MIN_VALUE && firedThrough >= maxSeen - grace
            ? firedThrough
            : Long.MIN_VALUE;
    if (kept.isEmpty() && mark == Long.MIN_VALUE) {
      return null;
    }
    return new CorrelationState(kept, mark, maxSeen, dropped);
  }

  /**
   * Keeps the fewest occurrences of {@code value} that leave it in every window it was in: an
   * occurrence at {@code t} is in the windows anchored in {@code [t, t + timespan)}, so greedily
   * from the oldest, the next kept occurrence is the latest one within a timespan of the last kept
   * (or, past a gap, the next one). The latest occurrence is always kept (it reaches the newest
   * windows), and older ones only as far as they still reach a window an out-of-order event could
   * open: at most about two per timespan of the retained horizon, however often the value repeats.
   */
  private void thin(List<CorrelationState.Entry> entries, String value) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (value.equals(entries.get(i).value())) {
        positions.add(i);
      }
    }
    if (positions.size() < 2) {
      return;
    }
    Set<Integer> redundant = new HashSet<>(positions);
    int next = 0;
    long reach = Long.MIN_VALUE;
    while (next < positions.size()) {
      int keep = next;
      if (reach != Long.MIN_VALUE) {
        // The latest occurrence that still joins the coverage of the last kept one, if any.
        while (next < positions.size() && entries.get(positions.get(next)).timestamp() <= reach) {
          keep = next++;
        }
        if (keep == next) {
          next++; // a gap: the coverage starts again at this occurrence
        }
      } else {
        next++;
      }
      redundant.remove(positions.get(keep));
      reach = entries.get(positions.get(keep)).timestamp() + span;
    }
    for (int i = positions.size() - 1; i >= 0; i--) {
      if (redundant.contains(positions.get(i))) {
        entries.remove((int) positions.get(i));
      }
    }
  }

  /** The firing for the window anchored at {@code entries[anchor]}, or null. */
  private CorrelationFiring test(List<CorrelationState.Entry> entries, int anchor) {
    long end = entries.get(anchor).timestamp();
    int last = anchor;
    while (last + 1 < entries.size() && entries.get(last + 1).timestamp() == end) {
      last++;
    }
    int first = anchor;
    while (first > 0 && entries.get(first - 1).timestamp() > end - span) {
      first--;
    }
    List<CorrelationState.Entry> window = entries.subList(first, last + 1);
    long value = measure(window);
    if (!condition.test(value)) {
      return null;
    }
    List<String> refs = new ArrayList<>();
    for (CorrelationState.Entry entry : window) {
      if (entry.eventRef() != null && refs.size() < MAX_EVENT_REFS) {
        refs.add(entry.eventRef());
      }
    }
    return new CorrelationFiring(
        correlation, window.get(0).timestamp(), end, value, window.size(), refs);
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
      case TEMPORAL:
        {
          Set<String> seen = new HashSet<>();
          for (CorrelationState.Entry entry : window) {
            seen.add(entry.ruleId());
          }
          return correlation.rules().stream().filter(r -> seen.contains(r.id())).count();
        }
      case TEMPORAL_ORDERED:
        {
          List<SigmaRule> order = correlation.rules();
          int matched = 0;
          for (CorrelationState.Entry entry : window) {
            if (matched < order.size() && order.get(matched).id().equals(entry.ruleId())) {
              matched++;
            }
          }
          return matched;
        }
      default:
        throw new IllegalStateException("unknown correlation type " + correlation.type());
    }
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
