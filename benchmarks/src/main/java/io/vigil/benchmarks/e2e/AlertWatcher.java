package io.vigil.benchmarks.e2e;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads every alert publication on the alerts topic as a sink would ({@code read_committed}, from
 * the end as it was when the harness started) and passes on each event id it carries, with the
 * time.
 */
final class AlertWatcher implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topic<String, Alert> alerts;
  private final Deserializer<Alert> values;
  private final ObjLongConsumer<String> onEventId;
  private final Thread thread = new Thread(this::read, "e2e-alert-watcher");
  private final AtomicLong publications = new AtomicLong();
  private volatile boolean running = true;

  private AlertWatcher(
      Map<String, Object> client, Topic<String, Alert> alerts, ObjLongConsumer<String> onEventId) {
    Properties props = new Properties();
    props.putAll(client);
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", "false");
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.alerts = alerts;
    this.values = alerts.valueSerde().deserializer();
    this.onEventId = onEventId;
    List<TopicPartition> partitions =
        consumer.partitionsFor(alerts.name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fixes the start before any marker is published
    thread.setDaemon(true);
  }

  static AlertWatcher start(
      Map<String, Object> client, Topic<String, Alert> alerts, ObjLongConsumer<String> onEventId) {
    AlertWatcher watcher = new AlertWatcher(client, alerts, onEventId);
    watcher.thread.start();
    return watcher;
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long at = System.nanoTime();
          Alert alert = values.deserialize(alerts.name(), record.value());
          publications.incrementAndGet();
          for (String id : alert.getEventIds()) {
            onEventId.accept(id, at);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    }
  }

  long publications() {
    return publications.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
    consumer.close();
  }
}
