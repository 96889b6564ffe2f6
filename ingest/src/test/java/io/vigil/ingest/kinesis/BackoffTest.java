package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** A jitter source that always draws its lowest value. */
  static final RandomGenerator LOWEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public long nextLong(long bound) {
          return 0;
        }
      };

  /** A jitter source that always draws its highest value. */
  static final RandomGenerator HIGHEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };

  @Test
  void delayDoublesPerFailureUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), HIGHEST);

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofMillis(1000));
    assertThat(backoff.delay(500)).isEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void jitterNeverGoesBelowHalfTheCeiling() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), LOWEST);

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.delay(40)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void jitteredDelaysSpreadWithinTheirBounds() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), new SplittableRandom(42));

    for (int failures = 1; failures < 20; failures++) {
      long ceiling = Math.min(30_000, 200L << (failures - 1));
      assertThat(backoff.delay(failures).toMillis()).isBetween(ceiling / 2, ceiling);
    }
    assertThat(
            java.util.stream.IntStream.range(0, 50)
                .mapToLong(i -> backoff.delay(8).toMillis())
                .distinct()
                .count())
        .as("jitter spreads retries")
        .isGreaterThan(10);
  }
}
