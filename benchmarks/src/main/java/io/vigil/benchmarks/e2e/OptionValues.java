package io.vigil.benchmarks.e2e;

/** The harnesses' numeric option values, refused with the option's name when they are not. */
final class OptionValues {

  private OptionValues() {}

  static int positive(String flag, String value) {
    int n = whole(flag, value);
    if (n <= 0) {
      throw new IllegalArgumentException(flag + " must be above 0, not " + value);
    }
    return n;
  }

  static int nonNegative(String flag, String value) {
    int n = whole(flag, value);
    if (n < 0) {
      throw new IllegalArgumentException(flag + " must not be negative, not " + value);
    }
    return n;
  }

  static double number(String flag, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes a number, not '" + value + "'");
    }
  }

  private static int whole(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes a whole number, not '" + value + "'");
    }
  }
}
