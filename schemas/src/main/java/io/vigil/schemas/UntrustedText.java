package io.vigil.schemas;

/**
 * Text that came from the logs, chosen by whoever wrote them, as it is shown to a person: the one
 * rule for the Unicode bidirectional formatting characters, which every renderer of such text
 * (reports, Slack, the console) shows rather than obeys, and for control characters, which a log
 * line or a terminal shows escaped rather than obeys.
 */
public final class UntrustedText {

  private UntrustedText() {}

  /**
   * True for a bidirectional formatting character (marks, embeddings, overrides, isolates): a
   * right-to-left override can make {@code exe.pdf} read as {@code fdp.exe}.
   */
  public static boolean isBidiControl(char c) {
    return c == '\u061C'
        || c == '\u200E'
        || c == '\u200F'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }

  /**
   * True for a C0 or C1 control character or DEL: a newline forges a log line, an escape sequence
   * rewrites what a terminal shows.
   */
  public static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
  }

  /** How a bidirectional formatting character is shown instead: {@code [U+202E]}. */
  public static String shown(char c) {
    return String.format("[U+%04X]", (int) c);
  }

  /**
   * The text for one line of a log or a terminal: control characters escaped ({@code \n}, {@code
   * \r}, {@code \t}, else a {@code \\u} escape with the code in hex), bidirectional formatting
   * characters shown as {@code [U+202E]}, everything else as is. {@code null} stays {@code null}.
   */
  public static String forLine(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = lineReplacement(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * A compact JSON text for a terminal: every control or bidirectional formatting character written
   * as a {@code \\uXXXX} escape. Lossless: in compact JSON they can only stand inside strings,
   * where the escape means the same character.
   */
  public static String forJson(String json) {
    StringBuilder out = new StringBuilder(json.length());
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (isControl(c) || isBidiControl(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String lineReplacement(char c) {
    if (isControl(c)) {
      return switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> String.format("\\u%04X", (int) c);
      };
    }
    return isBidiControl(c) ? shown(c) : null;
  }
}
