package io.vigil.ingest.kinesis;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for throttled or failed Kinesis calls: the n-th consecutive
 * failure waits between half and all of {@code min(max, base * 2^(n-1))}. The jitter keeps the
 * readers of many shards, throttled by the same limit at once, from retrying in lockstep; the lower
 * half bound keeps a retry from hitting the limit again at once.
 */
final class Backoff {

  private final long baseMillis;
  private final long maxMillis;
  private final RandomGenerator random;

  Backoff(Duration base, Duration max, RandomGenerator random) {
    this.baseMillis = Math.max(1, base.toMillis());
    this.maxMillis = Math.max(baseMillis, max.toMillis());
    this.random = random;
  }

  /** The delay before retry number {@code failures} (1 after the first failure). */
  Duration delay(int failures) {
    int doublings = Math.min(Math.max(failures, 1) - 1, 30);
    long ceiling = Math.min(maxMillis, baseMillis << doublings);
    long half = ceiling / 2;
    return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
  }
}
