package io.vigil.sinks.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back what a sink's group already delivered in the last {@code span} before its committed
 * offsets, for a sink that remembers ({@link Sink#memory()}, paging per incident). Per partition,
 * the span ends at the record time of the last record before the committed offset, so a backfill of
 * old logs is recalled by its own times. Done on the runner's consumer before it joins the group;
 * records the sink's feed does not take are left out.
 */
final class Recall {

  private static final Logger log = LoggerFactory.getLogger(Recall.class);

  private static final Duration POLL = Duration.ofMillis(200);
  // Enough records before the committed offset to find the last one delivered past the
  // transaction markers of an exactly-once producer.
  private static final int TAIL = 64;

  private Recall() {}

  /** The records of {@code feed} delivered within {@code span}, oldest first per partition. */
  static <T> List<T> recent(
      Consumer<String, byte[]> consumer, Feed<T> feed, Duration span, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String topic = feed.topic().name();
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, timeout).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    Map<TopicPartition, Long> until = new HashMap<>();
    consumer
        .committed(new HashSet<>(partitions), timeout)
        .forEach(
            (tp, committed) -> {
              if (committed != null && committed.offset() > 0) {
                until.put(tp, committed.offset());
              }
            });
    if (until.isEmpty()) {
      return List.of();
    }
    try {
      consumer.assign(until.keySet());
      // Pass 1: the time of the last record delivered in each partition.
      Map<TopicPartition, Long> lastTime = new HashMap<>();
      until.forEach((tp, end) -> consumer.seek(tp, Math.max(0, end - TAIL)));
      readUntil(
          consumer,
          until,
          deadline,
          record -> lastTime.merge(tp(record), record.timestamp(), Math::max));
      // Pass 2: every record from the span's start up to the committed offset.
      Map<TopicPartition, Long> from = new HashMap<>();
      lastTime.forEach((tp, time) -> from.put(tp, Math.max(0, time - span.toMillis())));
      Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(from, timeout);
      for (TopicPartition tp : until.keySet()) {
        OffsetAndTimestamp start = starts.get(tp);
        consumer.seek(tp, start == null ? until.get(tp) : start.offset());
      }
      List<T> records = new ArrayList<>();
      boolean complete =
          readUntil(
              consumer,
              until,
              deadline,
              record -> {
                T value = decode(feed, record);
                if (value != null && feed.accepts(value)) {
                  records.add(value);
                }
              });
      if (!complete) {
        log.warn("recalled only part of the last {} of {}: the time ran out", span, topic);
      }
      return records;
    } finally {
      consumer.unsubscribe();
    }
  }

  // Reads each partition up to its offset in `until`; false when the deadline came first.
  private static boolean readUntil(
      Consumer<String, byte[]> consumer,
      Map<TopicPartition, Long> until,
      long deadline,
      java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
    while (true) {
      boolean done = true;
      for (Map.Entry<TopicPartition, Long> end : until.entrySet()) {
        done &= consumer.position(end.getKey()) >= end.getValue();
      }
      if (done) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
        if (record.offset() < until.get(tp(record))) {
          each.accept(record);
        }
      }
    }
  }

  private static TopicPartition tp(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  private static <T> T decode(Feed<T> feed, ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      return feed.topic()
          .valueSerde()
          .deserializer()
          .deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      return null; // the runner dead-lettered it when it first read it
    }
  }
}
