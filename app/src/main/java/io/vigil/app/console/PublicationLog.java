package io.vigil.app.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The most recent publications of the alerts topic in the order they were read, and, per partition,
 * from which offset on the log still holds every one of them. It answers a browser that reconnects:
 * either the publications it missed, or "not all of them any more" (then it gets the whole current
 * state instead). Not thread-safe: {@link AlertFeed} guards it.
 */
final class PublicationLog {

  /**
   * One publication as it is sent: its place in the topic, its event id, the alert's dedup key and
   * update number (to tell a publication a snapshot already showed; {@code null} and -1 when it is
   * not an alert's) and its rendered data.
   */
  record Publication(
      int partition, long offset, String id, String event, String key, int update, String data) {

    /** Whether it removes the alert of its key (a tombstone). */
    boolean removes() {
      return "remove".equals(event);
    }
  }

  private final int capacity;
  private final ArrayDeque<Publication> recent = new ArrayDeque<>();
  private final Map<Integer, Long> position = new TreeMap<>();
  private final Map<Integer, Long> heldFrom = new TreeMap<>();

  PublicationLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Follows {@code partition} from offset {@code from} on: the first record read from it is there
   * or later.
   */
  void follow(int partition, long from) {
    position.put(partition, from);
    heldFrom.put(partition, from);
  }

  int capacity() {
    return capacity;
  }

  boolean follows(int partition) {
    return position.containsKey(partition);
  }

  /**
   * Records a publication read at {@code offset}; the oldest one is forgotten when the log is full.
   */
  Publication append(int partition, long offset, String event, String data) {
    return append(partition, offset, event, null, -1, data);
  }

  /** As {@link #append(int, long, String, String)}, for a publication of alert {@code key}. */
  Publication append(
      int partition, long offset, String event, String key, int update, String data) {
    position.put(partition, offset + 1);
    heldFrom.putIfAbsent(partition, offset);
    Publication publication =
        new Publication(
            partition, offset, FeedPosition.of(position).id(), event, key, update, data);
    recent.addLast(publication);
    while (recent.size() > capacity) {
      Publication forgotten = recent.removeFirst();
      heldFrom.put(forgotten.partition(), forgotten.offset() + 1);
    }
    return publication;
  }

  /** How far the log has read: everything before it has been appended. */
  FeedPosition position() {
    return FeedPosition.of(position);
  }

  /**
   * The publications after {@code seen}, in order, when the log still holds every one of them;
   * empty when some are forgotten, or when {@code seen} is ahead of what was read (an id from
   * another topic, or from before the topic was recreated).
   */
  Optional<List<Publication>> after(FeedPosition seen) {
    for (Map.Entry<Integer, Long> read : position.entrySet()) {
      long next = seen.of(read.getKey());
      if (next > read.getValue() || next < heldFrom.get(read.getKey())) {
        return Optional.empty();
      }
    }
    return Optional.of(select(seen.next(), 0L));
  }

  /** Every held publication, in the order read: what a snapshot may lack. */
  List<Publication> held() {
    return List.copyOf(recent);
  }

  private List<Publication> select(Map<Integer, Long> from, long unnamed) {
    List<Publication> selected = new ArrayList<>();
    for (Publication p : recent) {
      if (p.offset() >= from.getOrDefault(p.partition(), unnamed)) {
        selected.add(p);
      }
    }
    return selected;
  }
}
