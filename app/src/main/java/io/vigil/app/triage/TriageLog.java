package io.vigil.app.triage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.runtime.KafkaConnection;
import io.vigil.schemas.Alert;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.Topic;
import io.vigil.schemas.TriageChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
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
 * The alerts' triage, shared by every instance and kept across restarts: each change is a record on
 * the triage topic (keyed by alert id, so one alert's changes stay in order), and every instance
 * reads the whole topic from its beginning into memory: the current state of every alert anyone has
 * touched ({@link TriageState}). A change is answered once this instance has read it back, so the
 * caller sees its own change at once.
 *
 * <p>Memory: one small entry per change made by a person; the topic holds only those, never an
 * alert's matches.
 */
public final class TriageLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TriageLog.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final Topic<String, TriageChange> topic;
  private final Map<String, Object> consumerProperties;
  private final KafkaProducer<String, TriageChange> producer;
  private final Deserializer<TriageChange> changes;
  private final Map<String, TriageState> states = new ConcurrentHashMap<>();
  // Per partition, the offset of the next record to read: everything before it is in `states`.
  private final Map<Integer, Long> applied = new HashMap<>();
  private final List<Consumer<TriageView>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private KafkaConsumer<String, byte[]> consumer;
  private Thread reader;

  /** An alert's state right after a change was applied to it. */
  public record TriageView(String alertId, TriageState state) {}

  public TriageLog(
      Map<String, Object> clientProperties, String clientId, Topic<String, TriageChange> topic) {
    this.topic = topic;
    this.consumerProperties = KafkaConnection.readerProperties(clientProperties, clientId);
    Map<String, Object> producerProperties = new HashMap<>(clientProperties);
    producerProperties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer =
        new KafkaProducer<>(
            producerProperties, topic.keySerde().serializer(), topic.valueSerde().serializer());
    this.changes = topic.valueSerde().deserializer();
  }

  /**
   * Reads the topic up to its current end (for at most {@code catchUp}), then follows it on a
   * thread of its own.
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
            "cannot read the triage topic " + topic.name() + " to its end within " + catchUp);
      }
      pollOnce();
    }
    running = true;
    reader = new Thread(this::follow, "vigil-triage-log");
    reader.setDaemon(true);
    reader.start();
    log.info("Triage read from {}: {} alerts with changes", topic.name(), states.size());
  }

  /** Tells {@code listener} about every change read from now on (the console's live stream). */
  public void listen(Consumer<TriageView> listener) {
    listeners.add(listener);
  }

  /**
   * The state of the alert {@code alertId}; {@link TriageState#UNTOUCHED} when nobody changed it.
   */
  public TriageState state(String alertId) {
    return states.getOrDefault(alertId, TriageState.UNTOUCHED);
  }

  /**
   * {@code alert} as the API and the console send it: its fields, its triage status and assignee.
   */
  public ObjectNode json(Alert alert) {
    return state(alert.getAlertId()).addTo(RecordJson.toJson(alert), alert.getUpdate());
  }

  /**
   * Records {@code change} and returns the alert's state with it, once this instance has read it
   * back (other instances read it within moments).
   *
   * @throws IllegalStateException when the cluster does not take or return the change in time
   */
  public TriageState record(TriageChange change, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    RecordMetadata written;
    try {
      written =
          producer
              .send(new ProducerRecord<>(topic.name(), change.getAlertId(), change))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot write to the triage topic " + topic.name() + ": " + cause, cause);
    }
    synchronized (applied) {
      while (applied.getOrDefault(written.partition(), 0L) <= written.offset()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "the triage change was written but not read back within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(applied, left);
      }
    }
    return state(change.getAlertId());
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
        log.warn("Cannot read the triage topic {}: {}; retrying", topic.name(), e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          break;
        }
      }
    }
  }

  private void pollOnce() {
    List<TriageView> read = new ArrayList<>();
    Map<Integer, Long> reached = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
      reached.put(record.partition(), record.offset() + 1);
      if (record.value() == null || record.key() == null) {
        continue;
      }
      TriageChange change;
      try {
        change = changes.deserialize(record.topic(), record.headers(), record.value());
      } catch (RuntimeException e) {
        log.warn(
            "Skipped an undecodable triage change at {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getClass().getSimpleName());
        continue;
      }
      TriageState state = states.getOrDefault(record.key(), TriageState.UNTOUCHED).with(change);
      states.put(record.key(), state);
      read.add(new TriageView(record.key(), state));
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
    for (TriageView view : read) {
      for (Consumer<TriageView> listener : listeners) {
        listener.accept(view);
      }
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
