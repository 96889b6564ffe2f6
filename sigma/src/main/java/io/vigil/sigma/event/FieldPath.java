package io.vigil.sigma.event;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A dotted field name split once into its segments, so that matching an event never splits strings
 * again. {@code userIdentity.sessionContext.sessionIssuer.arn} has four segments.
 */
public final class FieldPath {

  private static final Pattern DOT = Pattern.compile("\\.");

  private final String dotted;
  private final String[] segments;

  private FieldPath(String dotted) {
    this.dotted = dotted;
    this.segments = DOT.split(dotted, -1);
  }

  /** Parses a dotted path; an empty name or an empty segment is rejected. */
  public static FieldPath of(String dotted) {
    Objects.requireNonNull(dotted, "dotted");
    FieldPath path = new FieldPath(dotted);
    for (String segment : path.segments) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("empty segment in field name '" + dotted + "'");
      }
    }
    return path;
  }

  /** The path as written in the rule. */
  public String dotted() {
    return dotted;
  }

  /** Number of segments. */
  public int size() {
    return segments.length;
  }

  /** The segment at {@code index}. */
  public String segment(int index) {
    return segments[index];
  }

  /** The first segment, the top-level field. */
  public String head() {
    return segments[0];
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldPath path && path.dotted.equals(dotted);
  }

  @Override
  public int hashCode() {
    return dotted.hashCode();
  }

  @Override
  public String toString() {
    return dotted;
  }
}
