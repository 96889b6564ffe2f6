package io.vigil.streams.posture;

import java.util.List;

/**
 * The posture topology's knobs: the buckets that hold PHI ({@code phi.buckets}, design section 6;
 * a public PHI bucket is a critical finding of its own) and how many of the most recent
 * establishing event ids each resource state keeps.
 *
 * @param phiBuckets bucket names (not ARNs) listed in {@code phi.buckets}
 * @param maxEventIds bound of {@code established_by_event_ids}, at least 1 (default 10)
 */
public record PostureSettings(List<String> phiBuckets, int maxEventIds) {

  public static final int DEFAULT_MAX_EVENT_IDS = 10;

  public static final PostureSettings DEFAULTS = new PostureSettings(List.of(), DEFAULT_MAX_EVENT_IDS);

  public PostureSettings {
    phiBuckets = List.copyOf(phiBuckets);
    if (maxEventIds < 1) {
      throw new IllegalArgumentException("posture needs maxEventIds >= 1, got " + maxEventIds);
    }
  }

  /** These PHI buckets, and the default bound of event ids. */
  public PostureSettings(List<String> phiBuckets) {
    this(phiBuckets, DEFAULT_MAX_EVENT_IDS);
  }
}
