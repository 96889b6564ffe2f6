package io.vigil.streams.posture;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The posture topology's knobs: the buckets that hold PHI ({@code phi.buckets} in the README's
 * configuration; a public PHI bucket is a critical finding of its own), how many of the most recent
 * establishing event ids each resource state keeps, and how long a deleted resource stays in the
 * posture ({@code posture.deleted_retention}) before its tombstone.
 *
 * @param phiBuckets bucket names (not ARNs) listed in {@code phi.buckets}
 * @param maxEventIds bound of {@code established_by_event_ids}, at least 1 (default 10)
 * @param deletedRetention how long after its deletion (in event time) a deleted resource is still
 *     shown, marked deleted, and late events older than the deletion are still recognised as such;
 *     zero or more (default 7 days)
 */
public record PostureSettings(List<String> phiBuckets, int maxEventIds, Duration deletedRetention) {

  public static final int DEFAULT_MAX_EVENT_IDS = 10;

  public static final Duration DEFAULT_DELETED_RETENTION = Duration.ofDays(7);

  public static final PostureSettings DEFAULTS =
      new PostureSettings(List.of(), DEFAULT_MAX_EVENT_IDS, DEFAULT_DELETED_RETENTION);

  public PostureSettings {
    phiBuckets = List.copyOf(phiBuckets);
    if (maxEventIds < 1) {
      throw new IllegalArgumentException("posture needs maxEventIds >= 1, got " + maxEventIds);
    }
    Objects.requireNonNull(deletedRetention, "deletedRetention");
    if (deletedRetention.isNegative()) {
      throw new IllegalArgumentException(
          "posture needs a deleted-resource retention of zero or more, got " + deletedRetention);
    }
  }

  /** These PHI buckets and bound of event ids, and the default retention of deleted resources. */
  public PostureSettings(List<String> phiBuckets, int maxEventIds) {
    this(phiBuckets, maxEventIds, DEFAULT_DELETED_RETENTION);
  }

  /** These PHI buckets, and the defaults for everything else. */
  public PostureSettings(List<String> phiBuckets) {
    this(phiBuckets, DEFAULT_MAX_EVENT_IDS, DEFAULT_DELETED_RETENTION);
  }
}
