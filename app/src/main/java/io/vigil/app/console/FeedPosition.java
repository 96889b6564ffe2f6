package io.vigil.app.console;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A position in the alerts topic: for each partition, the offset of the next record not yet seen.
 * It is the id of every event of the alert stream ({@code 0:1207,1:998,2:1310}), so that a browser
 * that reconnects with {@code Last-Event-ID} says exactly which publications it already has. Kafka
 * offsets, rather than a counter of this process, keep the id meaningful across a restart of Vigil
 * and on any instance that reads the same topic.
 */
public record FeedPosition(SortedMap<Integer, Long> next) {

  // Enough for thousands of partitions; a longer header is not an id this server wrote.
  private static final int MAX_LENGTH = 16_384;
  private static final Pattern FORMAT = Pattern.compile("\\d{1,9}:\\d{1,18}(,\\d{1,9}:\\d{1,18})*");

  public FeedPosition {
    next = Collections.unmodifiableSortedMap(new TreeMap<>(next));
  }

  public static FeedPosition of(Map<Integer, Long> next) {
    return new FeedPosition(new TreeMap<>(next));
  }

  /** The position an id names, or empty for anything this server would not have written. */
  public static Optional<FeedPosition> parse(String id) {
    if (id == null || id.length() > MAX_LENGTH || !FORMAT.matcher(id).matches()) {
      return Optional.empty();
    }
    SortedMap<Integer, Long> next = new TreeMap<>();
    for (String pair : id.split(",")) {
      int colon = pair.indexOf(':');
      if (next.put(
              Integer.valueOf(pair.substring(0, colon)), Long.valueOf(pair.substring(colon + 1)))
          != null) {
        return Optional.empty();
      }
    }
    return Optional.of(new FeedPosition(next));
  }

  /**
   * The next offset of {@code partition}; 0 (its beginning) for a partition the position does not
   * name.
   */
  public long of(int partition) {
    return next.getOrDefault(partition, 0L);
  }

  /** The event id: {@code partition:offset} pairs in partition order. */
  public String id() {
    return next.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(","));
  }

  @Override
  public String toString() {
    return id();
  }
}
