package io.vigil.benchmarks.e2e;

/**
 * When the warm-up is over: once the pipeline has caught up (in each of the last five seconds its
 * Streams applications' committed lag came down to at most half a second of events at least once,
 * as it does after each commit when nothing is queued), at least ten seconds after the start; or at
 * the longest warm-up allowed, caught up or not.
 */
final class WarmUp {

  private static final long SECOND = 1_000_000_000L;
  private static final long SHORTEST = 10 * SECOND;
  private static final int SECONDS_CAUGHT_UP = 5;

  private final long threshold;
  private final long longest;
  private final long start;
  private long bucket = -1;
  private boolean lowInBucket;
  private int caughtUpSeconds;
  private long lastCheck;
  private boolean caughtUp;

  WarmUp(int rate, long longestNanos, long startNanos) {
    this.threshold = Math.max(50, rate / 2);
    this.longest = longestNanos;
    this.start = startNanos;
  }

  boolean over(long now, PipelineLag lag) throws InterruptedException {
    long elapsed = now - start;
    if (elapsed >= longest) {
      return true;
    }
    if (now - lastCheck < SECOND / 10) {
      return false;
    }
    lastCheck = now;
    long second = elapsed / SECOND;
    if (second != bucket) {
      caughtUpSeconds = lowInBucket ? caughtUpSeconds + 1 : 0;
      bucket = second;
      lowInBucket = false;
    }
    long records = lag.records();
    if (records >= 0 && records <= threshold) {
      lowInBucket = true;
    }
    caughtUp = caughtUpSeconds >= SECONDS_CAUGHT_UP && elapsed >= SHORTEST;
    return caughtUp;
  }

  boolean caughtUp() {
    return caughtUp;
  }

  String outcome() {
    return caughtUp
        ? "the pipeline caught up"
        : "NOT caught up by the longest warm-up: measuring a pipeline still behind";
  }
}
