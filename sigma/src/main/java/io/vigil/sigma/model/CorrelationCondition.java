package io.vigil.sigma.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The numeric condition of a correlation rule: any combination of {@code gt}, {@code gte}, {@code
 * lt}, {@code lte} and {@code eq}, all of which must hold ({@code gte: 5, lt: 10} is a range). Null
 * bounds are absent.
 */
public record CorrelationCondition(Long gt, Long gte, Long lt, Long lte, Long eq) {

  /** True when {@code value} satisfies every bound given. */
  public boolean test(long value) {
    return (gt == null || value > gt)
        && (gte == null || value >= gte)
        && (lt == null || value < lt)
        && (lte == null || value <= lte)
        && (eq == null || value == eq);
  }

  /** True when the condition has a lower bound (gt, gte or eq), i.e. it waits for a count. */
  public boolean hasLowerBound() {
    return gt != null || gte != null || eq != null;
  }

  /**
   * True when the condition has an upper bound (lt, lte or eq): more events can make it false
   * again, so it can only be decided once its window is complete.
   */
  public boolean hasUpperBound() {
    return lt != null || lte != null || eq != null;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (gt != null) {
      parts.add("> " + gt);
    }
    if (gte != null) {
      parts.add(">= " + gte);
    }
    if (lt != null) {
      parts.add("< " + lt);
    }
    if (lte != null) {
      parts.add("<= " + lte);
    }
    if (eq != null) {
      parts.add("== " + eq);
    }
    return String.join(" and ", parts);
  }
}
