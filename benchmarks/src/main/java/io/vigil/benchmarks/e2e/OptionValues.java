package io.vigil.benchmarks.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The harnesses' command lines: {@code --flag value} pairs, and numeric values refused with the
 * option's name when they are not numbers in range.
 */
final class OptionValues {

  private OptionValues() {}

  /** The command line as flag and value pairs, in order; a flag without a value is refused. */
  static List<Map.Entry<String, String>> pairs(String[] args, String usage) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value\n" + usage);
      }
      pairs.add(Map.entry(args[i], args[i + 1]));
    }
    return pairs;
  }

  /** The error for a flag the harness does not know. */
  static IllegalArgumentException unknown(String flag, String usage) {
    return new IllegalArgumentException("unknown option " + flag + "\n" + usage);
  }

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
