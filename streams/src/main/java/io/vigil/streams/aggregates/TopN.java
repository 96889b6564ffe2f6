package io.vigil.streams.aggregates;

import io.vigil.schemas.TopEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded heavy-hitters summary (the Space-Saving algorithm): at most {@code capacity} keys with
 * their weights. While fewer distinct keys than the capacity were seen, the weights are exact;
 * beyond it a new key evicts the lightest one and inherits its weight, so a reported weight may be
 * over-estimated by at most that of the evicted key, and a key heavier than total/capacity is never
 * lost. Memory is bounded whatever the number of distinct keys (top talkers, principals).
 */
public final class TopN {

  private TopN() {}

  /**
   * Merges two summaries (or a summary and one contribution) into one of at most {@code capacity}
   * keys.
   */
  public static List<TopEntry> merge(List<TopEntry> a, List<TopEntry> b, int capacity) {
    Map<String, Long> weights = new HashMap<>();
    for (TopEntry e : a) {
      weights.merge(e.getKey(), e.getValue(), Long::sum);
    }
    for (TopEntry e : b) {
      weights.merge(e.getKey(), e.getValue(), Long::sum);
    }
    List<TopEntry> entries = new ArrayList<>(weights.size());
    weights.forEach((k, v) -> entries.add(new TopEntry(k, v)));
    entries.sort(ORDER);
    if (entries.size() <= capacity) {
      return entries;
    }
    // Space-Saving: the keys that do not fit give their weight to the lightest key kept.
    List<TopEntry> kept = new ArrayList<>(entries.subList(0, capacity));
    long dropped = 0;
    for (TopEntry e : entries.subList(capacity, entries.size())) {
      dropped = Math.max(dropped, e.getValue());
    }
    TopEntry lightest = kept.get(capacity - 1);
    kept.set(capacity - 1, new TopEntry(lightest.getKey(), lightest.getValue() + dropped));
    kept.sort(ORDER);
    return kept;
  }

  /** The {@code n} heaviest entries, heaviest first (ties by key, for stable output). */
  public static List<TopEntry> top(List<TopEntry> entries, int n) {
    List<TopEntry> sorted = new ArrayList<>(entries);
    sorted.sort(ORDER);
    return new ArrayList<>(sorted.subList(0, Math.min(n, sorted.size())));
  }

  private static final Comparator<TopEntry> ORDER =
      Comparator.comparingLong(TopEntry::getValue).reversed().thenComparing(TopEntry::getKey);
}
