package io.vigil.sigma.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dotted field name split once into its segments, so that matching an event never splits strings
 * again. {@code userIdentity.sessionContext.sessionIssuer.arn} has four segments.
 */
public final class FieldPath {

  /**
   * Paths already parsed: rules name their group-by and evidence fields as text, read for every
   * event they match. The names come from rules, so the cache stays small; past its cap it is just
   * not filled further.
   */
  private static final Map<String, FieldPath> PARSED = new ConcurrentHashMap<>();

  private static final int MAX_CACHED = 4096;

  private final String dotted;
  private final String[] segments;

  private FieldPath(String dotted) {
    this.dotted = dotted;
    List<String> parts = new ArrayList<>(4);
    int from = 0;
    for (int dot = dotted.indexOf('.'); dot >= 0; dot = dotted.indexOf('.', from)) {
      parts.add(dotted.substring(from, dot));
      from = dot + 1;
    }
    parts.add(dotted.substring(from));
    this.segments = parts.toArray(String[]::new);
  }

  /** Parses a dotted path; an empty name or an empty segment is rejected. */
  public static FieldPath of(String dotted) {
    Objects.requireNonNull(dotted, "dotted");
    FieldPath cached = PARSED.get(dotted);
    if (cached != null) {
      return cached;
    }
    FieldPath path = new FieldPath(dotted);
    for (String segment : path.segments) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("empty segment in field name '" + dotted + "'");
      }
    }
    if (PARSED.size() < MAX_CACHED) {
      PARSED.put(dotted, path);
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
