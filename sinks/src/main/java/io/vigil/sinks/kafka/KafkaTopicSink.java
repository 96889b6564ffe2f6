package io.vigil.sinks.kafka;

import io.vigil.schemas.Alert;
import io.vigil.schemas.TriageChange;
import io.vigil.sinks.SinkConfig;
import io.vigil.sinks.SinkContext;
import io.vigil.sinks.SinkSettings;
import io.vigil.sinks.delivery.DeliveryException;
import io.vigil.sinks.delivery.FindingSink;
import io.vigil.sinks.delivery.Sink;
import io.vigil.sinks.delivery.TriageFindings;
import io.vigil.sinks.render.AlertFormat;
import io.vigil.sinks.render.Finding;
import io.vigil.sinks.render.RenderingConfig;
import io.vigil.sinks.render.Workflow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Re-publishes alerts as JSON strings (OCSF by default, or ASFF or Vigil's alert JSON) to another
 * topic, for SIEMs that read Kafka. Keys are the alert's dedup key, so that every update of an
 * alert lands on the same partition in order; each record carries an {@code idempotency-key}
 * header. The topic is on the pipeline's cluster unless {@code bootstrap_servers} names another
 * one.
 */
public final class KafkaTopicSink implements FindingSink {

  /** The header with {@code <dedup_key>:<update>}. */
  public static final String IDEMPOTENCY_HEADER = "idempotency-key";

  private static final int MAX_BATCH = 500;
  private static final long SEND_TIMEOUT_MS = 60_000;

  private final Config config;
  private final Producer<String, String> producer;
  private final RenderingConfig.AlertRendering rendering;
  private final Workflow.Lookup workflows;

  KafkaTopicSink(Config config, Producer<String, String> producer, Workflow.Lookup workflows) {
    this.config = config;
    this.producer = producer;
    this.rendering = config.rendering().renderer();
    this.workflows = workflows;
  }

  @Override
  public Workflow.Lookup workflows() {
    return workflows;
  }

  @Override
  public int maxBatch() {
    return MAX_BATCH;
  }

  @Override
  public void send(List<Finding> findings) throws DeliveryException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (Finding finding : findings) {
      Alert alert = finding.alert();
      ProducerRecord<String, String> record =
          new ProducerRecord<>(
              config.topic(), alert.getDedupKey(), rendering.render(alert, finding.workflow()));
      record
          .headers()
          .add(IDEMPOTENCY_HEADER, finding.idempotencyKey().getBytes(StandardCharsets.UTF_8));
      record
          .headers()
          .add(
              "vigil-format",
              config.rendering().format().toString().getBytes(StandardCharsets.UTF_8));
      sent.add(producer.send(record));
    }
    try {
      for (Future<RecordMetadata> future : sent) {
        future.get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      if (cause instanceof RetriableException) {
        throw DeliveryException.retryable("kafka_retriable", message, null);
      }
      throw DeliveryException.fatal("kafka_error", message);
    } catch (TimeoutException e) {
      throw DeliveryException.retryable(
          "timeout", "no acknowledgement within " + SEND_TIMEOUT_MS + " ms", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.retryable("interrupted", "interrupted while sending", null);
    }
  }

  @Override
  public void close() {
    producer.close();
  }

  /**
   * Settings of a {@code kafka} sink: {@code topic} (required), {@code format} (default {@code
   * ocsf}) with the ASFF keys, {@code bootstrap_servers} (default: the pipeline's cluster, with its
   * security settings).
   */
  public record Config(String topic, RenderingConfig rendering, String bootstrapServers)
      implements SinkConfig {

    public static Config parse(SinkSettings s) {
      String topic = s.requiredString("topic");
      if (topic != null && !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
        s.problem("topic", "is not a legal Kafka topic name: '" + topic + "'");
      }
      RenderingConfig rendering = RenderingConfig.parse(s, AlertFormat.OCSF);
      String bootstrap = s.string("bootstrap_servers", null);
      return topic == null ? null : new Config(topic, rendering, bootstrap);
    }

    @Override
    public Sink<Alert> open(SinkContext context) {
      return new KafkaTopicSink(this, producer(context, ""), context.workflows());
    }

    @Override
    public Sink<TriageChange> openTriage(SinkContext context) {
      return rendering.followsTriage()
          ? new TriageFindings(
              new KafkaTopicSink(this, producer(context, "-triage"), context.workflows()))
          : null;
    }

    private Producer<String, String> producer(SinkContext context, String clientSuffix) {
      Map<String, Object> props = new HashMap<>();
      if (bootstrapServers == null) {
        props.putAll(context.kafkaClientProperties());
      } else {
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      }
      props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-sink-" + context.name() + clientSuffix);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
  }
}
