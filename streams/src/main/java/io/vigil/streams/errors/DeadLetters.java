package io.vigil.streams.errors;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import io.vigil.schemas.Rejected;
import io.vigil.schemas.SourceType;

/**
 * Builds the {@link Rejected} records the Streams side sends to the dead-letter topic: what failed,
 * why, where it was ({@code topic/partition@offset}), when, and the raw bytes bounded to
 * {@link #MAX_RAW_BYTES} so that one huge poison record cannot bloat the DLQ.
 */
public final class DeadLetters {

  public static final int MAX_RAW_BYTES = 64 * 1024;

  private DeadLetters() {
  }

  public static Rejected rejected(String reason, String message, String location, byte[] raw,
                                  String component, Map<String, String> attributes) {
    byte[] bytes = raw == null ? new byte[0] : raw;
    boolean truncated = bytes.length > MAX_RAW_BYTES;
    return Rejected.newBuilder()
        .setReason(reason)
        .setMessage(message == null ? reason : message)
        .setSourceType(SourceType.stream)
        .setSourceLocation(location)
        .setRejectedAt(Instant.now())
        .setRaw(ByteBuffer.wrap(truncated ? Arrays.copyOf(bytes, MAX_RAW_BYTES) : bytes))
        .setRawTruncated(truncated)
        .setRawSize(bytes.length)
        .setComponent(component)
        .setAttributes(attributes)
        .build();
  }

  /** {@code topic/partition@offset}: where a record sits in Kafka. */
  public static String location(String topic, int partition, long offset) {
    return topic + "/" + partition + "@" + offset;
  }
}
