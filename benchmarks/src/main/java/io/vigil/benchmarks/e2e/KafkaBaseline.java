package io.vigil.benchmarks.e2e;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline measured in the same run, on the same broker under the same load: a plain Kafka
 * producer (default settings: acks=all, idempotent) sends a small record every 10 ms, a plain
 * consumer reads it, and the time between the send and the read is what Kafka alone costs.
 */
final class KafkaBaseline implements AutoCloseable {

  private static final String TOPIC = "e2e.baseline";

  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
  private final Thread reader;
  private final List<Long> micros = new ArrayList<>();
  private volatile boolean measuring;
  private volatile boolean running = true;

  private KafkaBaseline(Map<String, Object> client) throws Exception {
    try (Admin admin = Admin.create(client)) {
      admin.createTopics(Set.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty()))).all().get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    Properties p = new Properties();
    p.putAll(client);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    Properties c = new Properties();
    c.putAll(client);
    c.put("enable.auto.commit", "false");
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition);
    reader = new Thread(this::read, "e2e-kafka-baseline");
    reader.setDaemon(true);
  }

  static KafkaBaseline start(Map<String, Object> client) throws Exception {
    KafkaBaseline baseline = new KafkaBaseline(client);
    baseline.reader.start();
    baseline.sender.scheduleAtFixedRate(baseline::send, 0, 10, TimeUnit.MILLISECONDS);
    return baseline;
  }

  /** Latencies sent from now on count; those before (the warm-up) do not. */
  void startMeasuring() {
    measuring = true;
  }

  void stopMeasuring() {
    measuring = false;
  }

  synchronized Latencies.Distribution distribution() {
    return Latencies.Distribution.of(List.copyOf(micros));
  }

  private void send() {
    byte[] value =
        ByteBuffer.allocate(9).putLong(System.nanoTime()).put((byte) (measuring ? 1 : 0)).array();
    producer.send(new ProducerRecord<>(TOPIC, value));
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long at = System.nanoTime();
          ByteBuffer value = ByteBuffer.wrap(record.value());
          long sent = value.getLong();
          if (value.get() == 1) {
            synchronized (this) {
              micros.add((at - sent) / 1_000);
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    }
  }

  @Override
  public void close() throws InterruptedException {
    sender.shutdownNow();
    sender.awaitTermination(5, TimeUnit.SECONDS);
    producer.close(Duration.ofSeconds(5));
    running = false;
    consumer.wakeup();
    reader.join(10_000);
    consumer.close();
  }
}
