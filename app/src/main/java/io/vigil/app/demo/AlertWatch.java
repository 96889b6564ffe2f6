package io.vigil.app.demo;

import io.vigil.app.runtime.KafkaConnection;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the alerts topic from where it ended when the watch began ({@code read_committed}, no
 * consumer group: nothing is committed), so that {@code vigil demo} sees only alerts raised after
 * it started publishing.
 */
public final class AlertWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AlertWatch.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topic<String, Alert> topic;
  private final Deserializer<Alert> values;

  private AlertWatch(KafkaConsumer<byte[], byte[]> consumer, Topic<String, Alert> topic) {
    this.consumer = consumer;
    this.topic = topic;
    this.values = topic.valueSerde().deserializer();
  }

  /**
   * Starts watching at the current end of every partition of {@code topic}.
   *
   * @throws IllegalStateException when the topic does not exist (no pipeline ever ran on this
   *     Kafka)
   */
  public static AlertWatch fromEnd(
      Map<String, Object> clientProperties, Topic<String, Alert> topic) {
    Map<String, Object> config =
        KafkaConnection.readerProperties(clientProperties, "vigil-demo-watch");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic " + topic.name() + " does not exist: has vigil run ever run on this Kafka?");
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // seekToEnd is lazy: fix the positions now, before anything is published.
      partitions.forEach(consumer::position);
      return new AlertWatch(consumer, topic);
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /**
   * The alerts that arrived within {@code timeout}; an undecodable record is logged and skipped.
   */
  public List<Alert> poll(Duration timeout) {
    List<Alert> alerts = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      if (record.value() == null) {
        continue;
      }
      try {
        alerts.add(values.deserialize(topic.name(), record.value()));
      } catch (KafkaException | org.apache.avro.AvroRuntimeException e) {
        log.warn(
            "Skipping an alert that cannot be read at {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.toString());
      }
    }
    return alerts;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
