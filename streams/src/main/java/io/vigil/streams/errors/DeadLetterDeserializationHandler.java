package io.vigil.streams.errors;

import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SerdeFactory;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error tier 1: a record that cannot be deserialized goes to the dead-letter topic as a {@link
 * Rejected} record (reason, exception message, {@code topic/partition@offset}, the bounded raw
 * value) inside the same Streams transaction, is counted and logged, and the stream goes on.
 *
 * <p>Configured through the Streams properties: {@value #DLQ_TOPIC} names the dead-letter topic,
 * and the {@code schema.registry.*} settings, when present, select the same value encoding as every
 * other topic.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  public static final String DLQ_TOPIC = "vigil.dlq.topic";
  private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
  private static final AtomicLong REJECTED = new AtomicLong();

  private String dlqTopic;
  private Serializer<Rejected> serializer;
  private final Serializer<String> keySerializer =
      new org.apache.kafka.common.serialization.StringSerializer();

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(DLQ_TOPIC);
    if (topic == null) {
      throw new IllegalArgumentException(DLQ_TOPIC + " must name the dead-letter topic");
    }
    dlqTopic = topic.toString();
    Map<String, String> registry = new HashMap<>();
    configs.forEach(
        (k, v) -> {
          if (k.startsWith("schema.registry.") && v != null) {
            registry.put(k, v.toString());
          }
        });
    serializer =
        SerdeFactory.fromSettings(registry).valueSerde(Rejected.class, dlqTopic).serializer();
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    String location = DeadLetters.location(record.topic(), record.partition(), record.offset());
    Rejected rejected =
        DeadLetters.undecodable(
            "deserialization-failed",
            exception.getMessage(),
            location,
            record.value(),
            "streams:" + context.processorNodeId(),
            Map.of("topic", record.topic()),
            Instant.now());
    long total = REJECTED.incrementAndGet();
    log.warn(
        "Sent undecodable record {} to {} ({} so far): {}",
        location,
        dlqTopic,
        total,
        exception.getMessage());
    return Response.resume(
        List.of(
            new ProducerRecord<>(
                dlqTopic,
                null,
                record.timestamp(),
                keySerializer.serialize(dlqTopic, location),
                serializer.serialize(dlqTopic, rejected))));
  }

  /** Records sent to the DLQ by this handler since the JVM started (all instances). */
  public static long rejectedCount() {
    return REJECTED.get();
  }
}
