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
  private final Thread thread;
  private final AtomicLong publications = new AtomicLong();
  private volatile boolean running = true;

  private AlertWatcher(KafkaConsumer<byte[], byte[]> consumer, Thread thread) {
    this.consumer = consumer;
    this.thread = thread;
  }

  static AlertWatcher start(
      Map<String, Object> client, Topic<String, Alert> alerts, ObjLongConsumer<String> onEventId) {
    Properties props = new Properties();
    props.putAll(client);
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", "false");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(alerts.name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fixes the start before any marker is published
    Deserializer<Alert> values = alerts.valueSerde().deserializer();
    AlertWatcher[] self = new AlertWatcher[1];
    Thread thread =
        new Thread(
            () -> {
              try {
                while (self[0].running) {
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(100))) {
                    long at = System.nanoTime();
                    Alert alert = values.deserialize(alerts.name(), record.value());
                    self[0].publications.incrementAndGet();
                    for (String id : alert.getEventIds()) {
                      onEventId.accept(id, at);
                    }
                  }
                }
              } catch (WakeupException e) {
                // closing
              }
            },
            "e2e-alert-watcher");
    self[0] = new AlertWatcher(consumer, thread);
    thread.setDaemon(true);
    thread.start();
    return self[0];
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
