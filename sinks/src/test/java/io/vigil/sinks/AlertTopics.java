package io.vigil.sinks;

import io.vigil.schemas.Aggregate;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SingleObjectSerdeFactory;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One IT's own alerts, aggregates and DLQ topics on the shared broker (unique names, so tests never
 * see each other's records), with helpers to publish alerts, aggregates or raw bytes and read dead
 * letters.
 */
public final class AlertTopics {

  private final KafkaCluster kafka;
  private final VigilTopics topics;

  public AlertTopics(KafkaCluster kafka, int partitions)
      throws ExecutionException, InterruptedException {
    this.kafka = kafka;
    String id = UUID.randomUUID().toString().substring(0, 8);
    this.topics =
        VigilTopics.create(
            Map.of(
                VigilTopics.ALERTS, "it-" + id + ".alerts",
                VigilTopics.AGGREGATES, "it-" + id + ".aggregates",
                VigilTopics.DLQ, "it-" + id + ".dlq",
                VigilTopics.TRIAGE, "it-" + id + ".triage"),
            new SingleObjectSerdeFactory());
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.alerts().name(), partitions, (short) 1),
                  new NewTopic(topics.aggregates().name(), partitions, (short) 1),
                  new NewTopic(topics.dlq().name(), 1, (short) 1),
                  new NewTopic(topics.triage().name(), partitions, (short) 1)))
          .all()
          .get();
    }
  }

  public VigilTopics topics() {
    return topics;
  }

  /** Publishes alerts keyed by dedup key, in order, and waits for the acknowledgements. */
  public void publish(List<Alert> alerts) throws Exception {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put("acks", "all");
    try (KafkaProducer<String, Alert> producer =
        new KafkaProducer<>(
            props,
            topics.alerts().keySerde().serializer(),
            topics.alerts().valueSerde().serializer())) {
      for (Alert alert : alerts) {
        producer
            .send(new ProducerRecord<>(topics.alerts().name(), alert.getDedupKey(), alert))
            .get();
      }
    }
  }

  /**
   * Publishes aggregates keyed by name and window start, in order, and waits for the
   * acknowledgements.
   */
  public void publishAggregates(List<Aggregate> aggregates) throws Exception {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put("acks", "all");
    try (KafkaProducer<String, Aggregate> producer =
        new KafkaProducer<>(
            props,
            topics.aggregates().keySerde().serializer(),
            topics.aggregates().valueSerde().serializer())) {
      for (Aggregate aggregate : aggregates) {
        String key =
            aggregate.getName()
                + "|"
                + aggregate.getDimensions()
                + "|"
                + aggregate.getWindowStart();
        producer.send(new ProducerRecord<>(topics.aggregates().name(), key, aggregate)).get();
      }
    }
  }

  /** Publishes triage changes keyed by alert id, in order, and waits for the acknowledgements. */
  public void publishTriage(List<TriageChange> changes) throws Exception {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put("acks", "all");
    try (KafkaProducer<String, TriageChange> producer =
        new KafkaProducer<>(
            props,
            topics.triage().keySerde().serializer(),
            topics.triage().valueSerde().serializer())) {
      for (TriageChange change : changes) {
        producer
            .send(new ProducerRecord<>(topics.triage().name(), change.getAlertId(), change))
            .get();
      }
    }
  }

  /** Publishes bytes that are no record of any schema to {@code topic}. */
  public void publishGarbage(String topic, byte[] value) throws Exception {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put("acks", "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "garbage", value)).get();
    }
  }

  /**
   * Every dead letter on the DLQ after waiting until at least {@code expected} arrived (or the
   * timeout).
   */
  public List<Rejected> deadLetters(int expected, Duration timeout) {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-reader-" + UUID.randomUUID());
    List<Rejected> out = new ArrayList<>();
    try (KafkaConsumer<String, Rejected> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), topics.dlq().valueSerde().deserializer())) {
      consumer.subscribe(Set.of(topics.dlq().name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Rejected> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
