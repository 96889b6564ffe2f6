package io.vigil.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each marker event was published, and when it was first seen at each stage (on the alerts
 * topic, at the webhook). Every time is {@link System#nanoTime()} of this process: the publisher,
 * the alert consumer and the webhook receiver all run here, so no clocks need to agree.
 */
final class Latencies {

  private final Map<String, Long> published = new ConcurrentHashMap<>();
  private final Map<String, Long> alerted = new ConcurrentHashMap<>();
  private final Map<String, Long> delivered = new ConcurrentHashMap<>();

  void published(String eventId, long nanos) {
    published.put(eventId, nanos);
  }

  /** Records the first alert publication that carries {@code eventId}, if it is a marker's. */
  void alerted(String eventId, long nanos) {
    if (published.containsKey(eventId)) {
      alerted.putIfAbsent(eventId, nanos);
    }
  }

  /** Records the first webhook delivery that carries {@code eventId}, if it is a marker's. */
  void delivered(String eventId, long nanos) {
    if (published.containsKey(eventId)) {
      delivered.putIfAbsent(eventId, nanos);
    }
  }

  int markers() {
    return published.size();
  }

  boolean complete() {
    return alerted.size() == published.size() && delivered.size() == published.size();
  }

  Distribution toAlert() {
    return Distribution.between(published, alerted);
  }

  Distribution toDelivery() {
    return Distribution.between(published, delivered);
  }

  /**
   * The median publication-to-alert latency of the markers published in each {@code bucketSeconds}
   * of the run, in order: a pipeline that keeps up shows flat medians, one that falls behind a
   * rising line.
   */
  List<Double> alertMediansOver(int bucketSeconds) {
    long first = published.values().stream().mapToLong(Long::longValue).min().orElse(0);
    long bucket = bucketSeconds * 1_000_000_000L;
    Map<Integer, List<Long>> byBucket = new java.util.TreeMap<>();
    alerted.forEach(
        (id, at) -> {
          long sent = published.get(id);
          byBucket
              .computeIfAbsent((int) ((sent - first) / bucket), b -> new ArrayList<>())
              .add((at - sent) / 1_000);
        });
    List<Double> medians = new ArrayList<>();
    byBucket.values().forEach(micros -> medians.add(Distribution.of(micros).percentileMs(0.5)));
    return medians;
  }

  /** Sorted latencies in microseconds, with nearest-rank percentiles in milliseconds. */
  record Distribution(long[] sortedMicros) {

    /** From each key's start to its time in {@code reached}, for the keys that reached it. */
    static <K> Distribution between(Map<K, Long> startNanos, Map<K, Long> reachedNanos) {
      List<Long> micros = new ArrayList<>();
      reachedNanos.forEach((key, at) -> micros.add((at - startNanos.get(key)) / 1_000));
      return of(micros);
    }

    static Distribution of(List<Long> micros) {
      long[] sorted = micros.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(sorted);
      return new Distribution(sorted);
    }

    int count() {
      return sortedMicros.length;
    }

    /** The nearest-rank {@code q} quantile in milliseconds (0.1 ms steps), or NaN when empty. */
    double percentileMs(double q) {
      if (sortedMicros.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * sortedMicros.length);
      long micros = sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, rank - 1))];
      return Math.round(micros / 100.0) / 10.0;
    }

    double maxMs() {
      return percentileMs(1.0);
    }
  }
}
