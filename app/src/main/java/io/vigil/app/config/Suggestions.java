package io.vigil.app.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name a mistyped one was probably meant to be, by edit distance. */
final class Suggestions {

  private Suggestions() {}

  /** The closest candidate, if it is close enough to be a typo rather than a different name. */
  static Optional<String> closest(String typed, Collection<String> candidates) {
    return candidates.stream()
        .filter(candidate -> isTypoOf(typed, candidate))
        .min(Comparator.comparingInt(candidate -> distance(typed, candidate)));
  }

  // A third of the length lets "htpp.port" find "http.port" but not turn "foo" into "bar".
  static boolean isTypoOf(String typed, String candidate) {
    int distance = distance(typed, candidate);
    return distance > 0 && distance <= Math.max(1, Math.min(3, candidate.length() / 3));
  }

  /** Levenshtein distance, case-insensitive. */
  static int distance(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[] previous = new int[y.length() + 1];
    int[] current = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[y.length()];
  }
}
