package io.vigil.sinks.delivery;

import java.util.regex.Pattern;

/**
 * The globs users write to pick rule ids in sink filters and dead-letter reasons in {@code vigil
 * dlq}: {@code *} is any run of characters, {@code ?} one character, everything else literal (so
 * the dots and dashes of ids need no escaping).
 */
public final class Glob {

  private Glob() {}

  /** The pattern that matches (whole strings) what {@code glob} describes. */
  public static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString());
  }
}
