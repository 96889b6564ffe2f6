package io.vigil.streams.posture;

import java.util.OptionalLong;

/**
 * The "now", in event time, against which the posture topology measures how long ago a resource was
 * deleted: the task's stream time (the newest event time it has seen), carried forward by the
 * wall-clock time that has passed since stream time last moved, and never ahead of the wall clock.
 *
 * <p>Why neither clock alone: a deletion is dated by its event, so the retention is a span of event
 * time. Stream time alone is the honest clock for a replay of old logs (a bucket deleted in a 2023
 * log is shown for the following week of that log, not removed at once because 2023 is long past),
 * but it stands still on a quiet stream: posture sees only the few events that change tracked
 * resources, and an account with no further changes would keep its deleted resources forever. The
 * wall clock alone moves on a quiet stream but would remove everything a replay deletes as soon as
 * it is read, before the replay's own later and out-of-order events. Carrying stream time forward
 * by idle wall-clock time gives both: while events flow it is their time, when they stop it moves
 * as real time does. The cap at the wall clock keeps one event dated in the future (a skewed clock,
 * a forged record) from expiring every deletion early.
 *
 * <p>Kept in memory only: after a restart the wall-clock baseline starts again from the restored
 * stream time, which can only delay a removal, never bring one forward.
 */
final class RetentionClock {

  private long streamTime = -1;
  private long wallClockAtStreamTime;

  /**
   * Notes the task's stream time (negative while unknown) as seen at wall-clock time {@code
   * wallClock}.
   */
  void observe(long streamTime, long wallClock) {
    if (streamTime > this.streamTime) {
      this.streamTime = streamTime;
      this.wallClockAtStreamTime = wallClock;
    }
  }

  /**
   * The event-time now at wall-clock time {@code wallClock}; empty while no stream time is known.
   */
  OptionalLong now(long wallClock) {
    if (streamTime < 0) {
      return OptionalLong.empty();
    }
    long idle = Math.max(0, wallClock - wallClockAtStreamTime);
    long carried = streamTime > Long.MAX_VALUE - idle ? Long.MAX_VALUE : streamTime + idle;
    return OptionalLong.of(Math.min(wallClock, carried));
  }
}
