package io.vigil.streams.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.TopEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopNTest {

  @Test
  void belowCapacityWeightsAreExact() {
    List<TopEntry> summary = List.of();
    for (String key : List.of("a", "b", "a", "c", "a", "b")) {
      summary = TopN.merge(summary, List.of(new TopEntry(key, 1L)), 4);
    }
    assertThat(TopN.top(summary, 2)).containsExactly(new TopEntry("a", 3L), new TopEntry("b", 2L));
  }

  @Test
  void summaryStaysBoundedAndKeepsAHeavyHitterAmongManyDistinctKeys() {
    List<TopEntry> summary = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      summary = TopN.merge(summary, List.of(new TopEntry("noise-" + i, 1L)), 8);
      if (i % 10 == 0) {
        summary = TopN.merge(summary, List.of(new TopEntry("heavy", 5L)), 8);
      }
    }
    assertThat(summary).hasSizeLessThanOrEqualTo(8);
    assertThat(TopN.top(summary, 1).get(0).getKey()).isEqualTo("heavy");
    assertThat(TopN.top(summary, 1).get(0).getValue()).isGreaterThanOrEqualTo(5_000L);
  }
}
