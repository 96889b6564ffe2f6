package io.vigil.app.runtime;

import io.vigil.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small topic of people's decisions (triage changes, mutes), read whole by every instance: the
 * reader is assigned every partition from the beginning (no group, nothing committed) and hands
 * each record, in order, to {@code apply} on a thread of its own; {@link #write} publishes a record
 * and returns once this instance has read it back, so the writer sees its own change at once. Such
 * topics hold a few records per person per day, so reading them whole at every start is cheap.
 *
 * @param <V> the record type
 */
public final class TopicMirror<V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TopicMirror.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final Topic<String, V> topic;
  private final Map<String, Object> consumerProperties;
  private final KafkaProducer<String, V> producer;
  private final Deserializer<V> values;
  private final BiConsumer<String, V> apply;
  // Per partition, the offset of the next record to read: every record before it was applied.
  private final Map<Integer, Long> applied = new HashMap<>();
  private volatile boolean running;
  private KafkaConsumer<String, byte[]> consumer;
  private Thread reader;

  /**
   * @param apply receives each record read (key, value), in the topic's order per key, on the
   *     reader's thread (or the caller's of {@link #start} while it catches up)
   */
  public TopicMirror(
      Map<String, Object> clientProperties,
      String clientId,
      Topic<String, V> topic,
      BiConsumer<String, V> apply) {
    this.topic = topic;
    this.apply = apply;
    this.consumerProperties = KafkaConnection.readerProperties(clientProperties, clientId);
    Map<String, Object> producerProperties = new HashMap<>(clientProperties);
    producerProperties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer =
        new KafkaProducer<>(
            producerProperties, topic.keySerde().serializer(), topic.valueSerde().serializer());
    this.values = topic.valueSerde().deserializer();
  }

  /**
   * Reads the topic up to its current end (for at most {@code catchUp}), then follows it on a
   * thread of its own.
   *
   * @throws IllegalStateException when the end is not reached in time
   */
  public void start(Duration catchUp) {
    consumer =
        new KafkaConsumer<>(
            consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    consumer
        .partitionsFor(topic.name(), METADATA_TIMEOUT)
        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    long deadline = System.nanoTime() + catchUp.toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "cannot read the topic " + topic.name() + " to its end within " + catchUp);
      }
      pollOnce();
    }
    running = true;
    reader = new Thread(this::follow, "vigil-mirror-" + topic.logicalName());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Publishes {@code value} under {@code key} and returns once this instance has read it back (and
   * so applied it); other instances read it within moments.
   *
   * @throws IllegalStateException when the cluster does not take or return it in time
   */
  public void write(String key, V value, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    RecordMetadata written;
    try {
      written =
          producer
              .send(new ProducerRecord<>(topic.name(), key, value))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot write to the topic " + topic.name() + ": " + cause, cause);
    }
    synchronized (applied) {
      while (applied.getOrDefault(written.partition(), 0L) <= written.offset()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "the record was written to " + topic.name() + " but not read back within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(applied, left);
      }
    }
  }

  private void follow() {
    while (running) {
      try {
        pollOnce();
      } catch (WakeupException stopping) {
        break;
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        log.warn("Cannot read the topic {}: {}; retrying", topic.name(), e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          break;
        }
      }
    }
  }

  private void pollOnce() {
    Map<Integer, Long> reached = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
      reached.put(record.partition(), record.offset() + 1);
      if (record.value() == null || record.key() == null) {
        continue;
      }
      V value;
      try {
        value = values.deserialize(record.topic(), record.headers(), record.value());
      } catch (RuntimeException e) {
        log.warn(
            "Skipped an undecodable record at {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getClass().getSimpleName());
        continue;
      }
      apply.accept(record.key(), value);
    }
    synchronized (applied) {
      // Where the consumer stands now also covers offsets that held no record (transaction
      // markers), so a writer waiting on one is not kept waiting.
      for (TopicPartition tp : consumer.assignment()) {
        reached.merge(tp.partition(), consumer.position(tp), Math::max);
      }
      reached.forEach((partition, next) -> applied.merge(partition, next, Math::max));
      applied.notifyAll();
    }
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (reader != null) {
      try {
        reader.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (consumer != null) {
      consumer.close();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
