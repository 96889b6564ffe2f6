package io.vigil.sinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60));

  @Test
  void backoffDoublesWithinItsJitterBandUpToTheCeiling() {
    for (int retry = 1; retry <= 8; retry++) {
      long full = Math.min(2000, 100L << (retry - 1));
      assertThat(policy.backoff(retry, null, () -> 0.0).toMillis()).isEqualTo(full / 2);
      assertThat(policy.backoff(retry, null, () -> 0.999999).toMillis()).isBetween(full - 1, full);
    }
  }

  @Test
  void retryAfterIsAFloorCappedAtItsMaximum() {
    assertThat(policy.backoff(1, Duration.ofSeconds(7), () -> 0.5))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.backoff(1, Duration.ofHours(3), () -> 0.5)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.backoff(5, Duration.ofMillis(1), () -> 0.0))
        .isEqualTo(Duration.ofMillis(800));
  }

  @Test
  void attemptsAreBounded() {
    assertThat(policy.mayRetryAfter(4)).isTrue();
    assertThat(policy.mayRetryAfter(5)).isFalse();
  }

  @Test
  void hugeRetryCountsDoNotOverflow() {
    assertThat(policy.backoff(200, null, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-11-03T10:00:00Z");
    assertThat(RetryAfter.parse("120", now)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("Tue, 03 Nov 2026 10:00:30 GMT", now))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Tue, 03 Nov 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", now)).isNull();
    assertThat(RetryAfter.parse("-5", now)).isNull();
    assertThat(RetryAfter.parse(null, now)).isNull();
    assertThat(RetryAfter.parse("99999999999999999999999", now)).isNull();
  }
}
