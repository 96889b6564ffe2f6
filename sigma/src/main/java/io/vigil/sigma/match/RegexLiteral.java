package io.vigil.sigma.match;

/**
 * Finds a literal text that every match of a regular expression contains, conservatively: only runs
 * of plain characters at the top level of an expression without alternation count, and a character
 * made optional by a quantifier ends the run without it. Null when in doubt.
 */
final class RegexLiteral {

  private static final String META = ".^$*+?{}()[]|\\";

  private RegexLiteral() {}

  static String longestRequired(String regex) {
    // Inline flags such as (?i) would change how the literal compares: no prefilter then.
    if (regex.indexOf('|') >= 0 || regex.contains("\\Q") || regex.contains("(?")) {
      return null;
    }
    String best = "";
    StringBuilder run = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        char next = regex.charAt(++i);
        if (depth == 0 && !Character.isLetterOrDigit(next)) {
          run.append(next);
          i = endIfQuantified(regex, i, run);
        } else {
          best = longer(best, run);
        }
        continue;
      }
      if (c == '[') {
        best = longer(best, run);
        // Skip the class; a ']' right after '[' or '[^' is a member, not the end.
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') {
          j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
          j++;
        }
        while (j < regex.length() && regex.charAt(j) != ']') {
          j += regex.charAt(j) == '\\' ? 2 : 1;
        }
        i = j;
        continue;
      }
      if (c == '(') {
        best = longer(best, run);
        depth++;
        continue;
      }
      if (c == ')') {
        depth = Math.max(0, depth - 1);
        continue;
      }
      if (depth > 0) {
        continue;
      }
      if (META.indexOf(c) >= 0) {
        best = longer(best, run);
        continue;
      }
      run.append(c);
      i = endIfQuantified(regex, i, run);
      if (run.length() == 0) {
        best = longer(best, run);
      }
    }
    best = longer(best, run);
    return best.isEmpty() ? null : best;
  }

  /** After a literal at {@code i}: a quantifier makes it optional (dropped) or repeated (kept). */
  private static int endIfQuantified(String regex, int i, StringBuilder run) {
    if (i + 1 >= regex.length()) {
      return i;
    }
    char quantifier = regex.charAt(i + 1);
    if (quantifier == '?' || quantifier == '*' || quantifier == '{') {
      run.setLength(run.length() - 1);
      run.append('\0');
    } else if (quantifier == '+') {
      run.append('\0');
    }
    return i;
  }

  private static String longer(String best, StringBuilder run) {
    // A '\0' marks where a quantifier cut the run: keep the longest piece.
    String candidate = best;
    for (String piece : run.toString().split("\0", -1)) {
      if (piece.length() > candidate.length()) {
        candidate = piece;
      }
    }
    run.setLength(0);
    return candidate;
  }
}
