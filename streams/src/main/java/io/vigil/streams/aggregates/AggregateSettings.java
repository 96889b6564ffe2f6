package io.vigil.streams.aggregates;

import java.time.Duration;
import java.util.List;

/**
 * The aggregates topology's knobs: the tumbling window sizes (default 1 min and 1 h), the grace
 * period for late events (default 15 min; a window is emitted once, after it closes), and N of the
 * top-N lists. The summaries behind the top-N lists keep {@code 4 * topN} keys.
 */
public record AggregateSettings(List<Duration> windows, Duration grace, int topN) {

  public static final AggregateSettings DEFAULTS =
      new AggregateSettings(
          List.of(Duration.ofMinutes(1), Duration.ofHours(1)), Duration.ofMinutes(15), 10);

  public AggregateSettings {
    windows = List.copyOf(windows);
    if (windows.isEmpty() || topN < 1 || grace.isNegative()) {
      throw new IllegalArgumentException(
          "aggregates need at least one window, a non-negative grace and top N >= 1");
    }
  }

  int summaryCapacity() {
    return topN * 4;
  }
}
