package io.vigil.sigma.match;

import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma string value split into literal text and wildcards. {@code *} matches any run of
 * characters and {@code ?} one character; {@code \*}, {@code \?} and {@code \\} stand for the
 * characters themselves, and a backslash before anything else is a plain backslash (so {@code
 * C:\Windows} needs no doubling), as the Sigma specification says.
 */
public final class SigmaString {

  /** One piece of a value: literal text, or a wildcard when {@code text} is null. */
  public record Part(String text, char wildcard) {
    /** True for a wildcard, false for literal text. */
    public boolean isWildcard() {
      return text == null;
    }
  }

  private final List<Part> parts;

  private SigmaString(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /** Parses a value as written in a rule, honouring wildcards and escapes. */
  public static SigmaString parse(String raw) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        char next = raw.charAt(i + 1);
        if (next == '*' || next == '?' || next == '\\') {
          literal.append(next);
          i++;
          continue;
        }
        literal.append(c);
      } else if (c == '*' || c == '?') {
        flush(literal, parts);
        parts.add(new Part(null, c));
      } else {
        literal.append(c);
      }
    }
    flush(literal, parts);
    return new SigmaString(parts);
  }

  /** A value made of the given parts. */
  public static SigmaString of(List<Part> parts) {
    return new SigmaString(parts);
  }

  /** A value with no wildcards at all, e.g. the output of base64 encoding. */
  public static SigmaString literal(String text) {
    List<Part> parts = new ArrayList<>();
    if (!text.isEmpty()) {
      parts.add(new Part(text, '\0'));
    }
    return new SigmaString(parts);
  }

  private static void flush(StringBuilder literal, List<Part> parts) {
    if (literal.length() > 0) {
      parts.add(new Part(literal.toString(), '\0'));
      literal.setLength(0);
    }
  }

  /** The literal texts and wildcards, in order. */
  public List<Part> parts() {
    return parts;
  }

  /** True when any part is a wildcard. */
  public boolean hasWildcards() {
    return parts.stream().anyMatch(Part::isWildcard);
  }

  /** The text of a value without wildcards. */
  public String plainText() {
    StringBuilder text = new StringBuilder();
    for (Part part : parts) {
      text.append(part.isWildcard() ? String.valueOf(part.wildcard()) : part.text());
    }
    return text.toString();
  }

  /** This value with a {@code *} in front, unless it already starts with one. */
  public SigmaString withLeadingStar() {
    if (!parts.isEmpty() && parts.get(0).isWildcard() && parts.get(0).wildcard() == '*') {
      return this;
    }
    List<Part> copy = new ArrayList<>(parts.size() + 1);
    copy.add(new Part(null, '*'));
    copy.addAll(parts);
    return new SigmaString(copy);
  }

  /** This value with a {@code *} at the end, unless it already ends with one. */
  public SigmaString withTrailingStar() {
    if (!parts.isEmpty()) {
      Part last = parts.get(parts.size() - 1);
      if (last.isWildcard() && last.wildcard() == '*') {
        return this;
      }
    }
    List<Part> copy = new ArrayList<>(parts.size() + 1);
    copy.addAll(parts);
    copy.add(new Part(null, '*'));
    return new SigmaString(copy);
  }

  @Override
  public String toString() {
    return plainText();
  }
}
