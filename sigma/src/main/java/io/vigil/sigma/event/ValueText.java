package io.vigil.sigma.event;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * How an event value reads as text and as a number, the same for every matcher: booleans are
 * "true"/"false", integral numbers have no decimal point, decimals are plain (no exponent).
 */
public final class ValueText {

  private ValueText() {}

  /** The value as text. */
  public static String of(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Double d
        && d == Math.rint(d)
        && !Double.isInfinite(d)
        && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().toPlainString();
    }
    return String.valueOf(value);
  }

  /** The value as a number, or null when it is not one (text is parsed leniently). */
  public static BigDecimal number(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }
    if (value instanceof String s) {
      String trimmed = s.strip();
      if (trimmed.isEmpty() || trimmed.length() > 64) {
        return null;
      }
      try {
        return new BigDecimal(trimmed);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
