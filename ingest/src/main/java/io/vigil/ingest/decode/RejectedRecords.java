package io.vigil.ingest.decode;

import io.vigil.schemas.Rejected;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * Builds the {@link Rejected} dead-letter records of one component: the reason code, a specific
 * message, where the record came from, when, and its bytes bounded to {@link #MAX_RAW_BYTES} (so a
 * rejected huge record never makes a huge DLQ message).
 */
public final class RejectedRecords {

  /** The most bytes of a rejected record kept in {@code Rejected.raw}. */
  public static final int MAX_RAW_BYTES = 64 * 1024;

  private final String component;
  private final Clock clock;

  public RejectedRecords(String component, Clock clock) {
    this.component = component;
    this.clock = clock;
  }

  /**
   * A rejection of {@code rawSize} original bytes of which {@code raw[off, off+len)} were kept
   * (further bounded here); {@code rawSize} is -1 when the original size is unknown.
   */
  public Rejected reject(String reason, String message, SourceRef source, String position,
                         byte[] raw, int off, int len, long rawSize, Map<String, String> attributes) {
    int kept = Math.min(len, MAX_RAW_BYTES);
    boolean truncated = len > kept || rawSize > kept;
    return Rejected.newBuilder()
        .setReason(reason)
        .setMessage(message)
        .setSourceType(source.type())
        .setSourceLocation(position)
        .setRejectedAt(clock.instant())
        .setRaw(ByteBuffer.wrap(Arrays.copyOfRange(raw, off, off + kept)))
        .setRawTruncated(truncated)
        .setRawSize(rawSize)
        .setComponent(component)
        .setAttributes(Map.copyOf(attributes))
        .build();
  }

  /** As {@link #reject(String, String, SourceRef, String, byte[], int, int, long, Map)} with a decoder reason. */
  public Rejected reject(RejectReason reason, String message, SourceRef source, String position,
                         byte[] raw, int off, int len, long rawSize) {
    return reject(reason.code(), message, source, position, raw, off, len, rawSize, Map.of());
  }
}
