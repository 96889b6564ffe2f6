package io.vigil.sinks.delivery;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Bounded retries with exponential backoff and jitter. The n-th retry waits a random time between
 * half and all of {@code min(maxBackoff, initialBackoff * 2^(n-1))} (the random half spreads the
 * retries of many runners after a shared outage); a receiver's Retry-After is honoured as a floor,
 * capped at {@code maxRetryAfter} so that a hostile or broken header cannot park a sink for hours.
 *
 * @param maxAttempts attempts in all, the first included (at least 1)
 * @param initialBackoff wait before the first retry (before jitter)
 * @param maxBackoff ceiling of the exponential wait
 * @param maxRetryAfter ceiling of an honoured Retry-After
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

  /** Six attempts over roughly half a minute. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
    }
  }

  /** Whether another attempt may follow attempt number {@code attempt} (1-based). */
  public boolean mayRetryAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * How long to wait before retry number {@code retry} (1 for the first retry).
   *
   * @param retryAfter the receiver's Retry-After, or {@code null}
   * @param random a uniform source in [0, 1)
   */
  public Duration backoff(int retry, Duration retryAfter, DoubleSupplier random) {
    long base = initialBackoff.toMillis();
    long ceiling = maxBackoff.toMillis();
    long exponential =
        retry >= 62 ? ceiling : Math.min(ceiling, base * (1L << Math.min(retry - 1, 30)));
    long jittered =
        exponential / 2 + (long) (random.getAsDouble() * (exponential - exponential / 2));
    long wait = jittered;
    if (retryAfter != null && !retryAfter.isNegative()) {
      wait = Math.max(wait, Math.min(retryAfter.toMillis(), maxRetryAfter.toMillis()));
    }
    return Duration.ofMillis(wait);
  }
}
