package io.vigil.sigma.model;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of Sigma correlation rule. */
public enum CorrelationType {
  /** Number of matching events per group within the timespan. */
  EVENT_COUNT("event_count"),
  /** Number of distinct values of a field per group within the timespan. */
  VALUE_COUNT("value_count"),
  /**
   * Sum of a numeric field per group within the timespan (from the Sigma correlation
   * specification's extended types); events without a numeric value add nothing.
   */
  VALUE_SUM("value_sum"),
  /**
   * Mean of a numeric field per group within the timespan (extended types), rounded down; events
   * without a number in the field do not count.
   */
  VALUE_AVG("value_avg"),
  /**
   * A percentile (the condition's {@code percentile}, nearest rank) of a numeric field per group
   * within the timespan (extended types).
   */
  VALUE_PERCENTILE("value_percentile"),
  /**
   * The median (nearest rank) of a numeric field per group within the timespan (extended types).
   */
  VALUE_MEDIAN("value_median"),
  /** All referenced rules matched for the group within the timespan, in any order. */
  TEMPORAL("temporal"),
  /** All referenced rules matched for the group within the timespan, in the order listed. */
  TEMPORAL_ORDERED("temporal_ordered"),
  /**
   * Vigil's extension: a group-by term (e.g. principal and event name) not seen within the timespan
   * (the history) before, outside the rule's learning period. Sigma has no such type; Elastic calls
   * it "new terms".
   */
  NEW_TERMS("new_terms"),
  /**
   * Vigil's extension, after the absence correlations proposed for Sigma: the first referenced rule
   * matched and none of the others followed within the timespan, in the same group.
   */
  ABSENCE("absence");

  private final String spelling;

  CorrelationType(String spelling) {
    this.spelling = spelling;
  }

  /** Whether the condition reads a field of the events ({@code condition.field}). */
  public boolean readsField() {
    return this == VALUE_COUNT || isMetric();
  }

  /** Whether the type measures a numeric field: a sum, mean, percentile or median. */
  public boolean isMetric() {
    return this == VALUE_SUM
        || this == VALUE_AVG
        || this == VALUE_PERCENTILE
        || this == VALUE_MEDIAN;
  }

  /** The name as written in a rule. */
  public String spelling() {
    return spelling;
  }

  /** The type with this spelling, if any. */
  public static Optional<CorrelationType> named(String name) {
    return Arrays.stream(values()).filter(t -> t.spelling.equals(name)).findFirst();
  }
}
