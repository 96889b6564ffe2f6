package io.vigil.app.runtime;

import io.vigil.schemas.Rejected;
import io.vigil.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the dead letters written since a time, up to the end of the topic as it was when the read
 * began: no consumer group (nothing is committed, the pipeline's readers are not disturbed), {@code
 * read_committed} (letters of aborted transactions were never real). A value that is not a {@code
 * Rejected} record is reported by its position, not thrown.
 */
public final class DeadLetterReader {

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READ_LIMIT = Duration.ofMinutes(2);

  /** One dead letter and where it is on the topic ({@code partition@offset}). */
  public record DeadLetter(Rejected rejected, String position) {}

  /** What was read: the letters, and the positions of values that could not be decoded. */
  public record Result(List<DeadLetter> letters, List<String> undecodable) {}

  private DeadLetterReader() {}

  public static Result read(
      KafkaConnection connection, Topic<String, Rejected> dlq, Instant since) {
    Properties props = new Properties();
    props.putAll(connection.clientProperties());
    props.put("enable.auto.commit", "false");
    props.put("isolation.level", "read_committed");
    List<DeadLetter> letters = new ArrayList<>();
    List<String> undecodable = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(dlq.name(), METADATA_TIMEOUT)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      Map<TopicPartition, Long> end =
          new HashMap<>(consumer.endOffsets(partitions, METADATA_TIMEOUT));
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> start =
          consumer.offsetsForTimes(query, METADATA_TIMEOUT);
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp first = start.get(tp);
        consumer.seek(tp, first == null ? end.get(tp) : first.offset());
      }
      long deadline = System.nanoTime() + READ_LIMIT.toNanos();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String position = record.partition() + "@" + record.offset();
          if (record.value() == null) {
            continue;
          }
          try {
            Rejected rejected =
                dlq.valueSerde()
                    .deserializer()
                    .deserialize(record.topic(), record.headers(), record.value());
            if (!rejected.getRejectedAt().isBefore(since)) {
              letters.add(new DeadLetter(rejected, position));
            }
          } catch (RuntimeException e) {
            undecodable.add(position + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }
      }
    }
    return new Result(letters, undecodable);
  }
}
