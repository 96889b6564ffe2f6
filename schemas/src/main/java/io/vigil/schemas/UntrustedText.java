package io.vigil.schemas;

/**
 * Text that came from the logs, chosen by whoever wrote them, as it is shown to a person: the one
 * rule for the Unicode bidirectional formatting characters, which every renderer of such text
 * (reports, Slack) shows rather than obeys.
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

  /** How a bidirectional formatting character is shown instead: {@code [U+202E]}. */
  public static String shown(char c) {
    return String.format("[U+%04X]", (int) c);
  }
}
