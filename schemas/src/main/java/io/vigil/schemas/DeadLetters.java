package io.vigil.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one way to build a {@link Rejected} dead-letter record, next to its contract: every stage
 * that sends something to the dead-letter topic (ingest rejecting input, Kafka Streams meeting an
 * undecodable record, a sink giving up on a delivery) builds it here, so that all of them keep the
 * same bounded copy of the raw bytes and say alike whether it was cut.
 *
 * <p>The truncation rule: of a record whose original size is {@code rawSize} bytes (-1 when
 * unknown), at most {@link #MAX_RAW_BYTES} of the bytes at hand are kept in {@code raw}; {@code
 * raw_truncated} is true when fewer bytes were kept than were at hand or than the original had. A
 * null message becomes the reason code (the field is required).
 */
public final class DeadLetters {

  /**
   * The most bytes of a rejected record kept in {@code Rejected.raw}, so that one huge poison
   * record never makes a huge dead-letter message. Readers that only gather bytes for a rejection
   * need not read further than this.
   */
  public static final int MAX_RAW_BYTES = 64 * 1024;

  /**
   * Attribute ({@code "true"}) of a dead letter that stands for a gap: input that could not be read
   * as records (no record boundary after a broken one, a corrupt or truncated gzip, an object over
   * its size limit), so records may be hidden in it. Detection raises an alert for each.
   */
  public static final String GAP = "gap";

  /** Attribute of a gap: the reason code of the failure that began it. */
  public static final String GAP_CAUSE = "cause";

  /** Attribute of a gap: the bytes that could not be read ({@code -1} when unknown). */
  public static final String UNREAD_BYTES = "unread_bytes";

  /** Attribute of a gap: about how many records were seen in it, or {@code unknown}. */
  public static final String UNREAD_RECORDS = "unread_records";

  /**
   * Attribute ({@code "true"}) of a dead letter that stands for a log file a CloudTrail digest
   * listed and that was not ingested within the grace period (its location is the file's {@code
   * s3://bucket/key}). Detection raises an alert for each.
   */
  public static final String MISSING_LOG_FILE = "missing_log_file";

  /** Attribute of a missing log file: the digest file that listed it, {@code s3://bucket/key}. */
  public static final String DIGEST = "digest";

  /** Attribute of a missing log file: the end of the hour its digest covers. */
  public static final String DIGEST_END = "digest_end";

  /**
   * Attribute of a missing log file: whether the object was in its bucket when it was found missing
   * ({@code present}: delivered but not ingested; {@code deleted}: gone; {@code unknown}: the check
   * failed).
   */
  public static final String OBJECT_STATE = "object";

  private DeadLetters() {}

  /**
   * A record read from Kafka that could not be deserialized (source type {@code stream}).
   *
   * @param location where it sits, see {@link #location(String, int, long)}
   * @param raw the record's value as read, null for none
   */
  public static Rejected undecodable(
      String reason,
      String message,
      String location,
      byte[] raw,
      String component,
      Map<String, String> attributes,
      Instant rejectedAt) {
    return rejectedInput(
        reason,
        message,
        SourceType.stream,
        location,
        raw == null ? new byte[0] : raw,
        component,
        attributes,
        rejectedAt);
  }

  /**
   * Input a source rejected: of a record of {@code rawSize} original bytes (-1 when unknown),
   * {@code raw[off, off + len)} are at hand (a reader may have kept only a prefix).
   *
   * @param sourceType the kind of place it came from ({@code s3}, {@code kinesis}, {@code file},
   *     {@code sqs})
   * @param location where it came from, with the position inside it ({@code
   *     s3://bucket/key#line=3})
   */
  public static Rejected rejectedInput(
      String reason,
      String message,
      SourceType sourceType,
      String location,
      byte[] raw,
      int off,
      int len,
      long rawSize,
      String component,
      Map<String, String> attributes,
      Instant rejectedAt) {
    return build(
        reason,
        message,
        sourceType,
        location,
        raw,
        off,
        len,
        rawSize,
        component,
        attributes,
        rejectedAt);
  }

  /**
   * As {@link #rejectedInput(String, String, SourceType, String, byte[], int, int, long, String,
   * Map, Instant)}, with all of {@code raw} at hand.
   */
  public static Rejected rejectedInput(
      String reason,
      String message,
      SourceType sourceType,
      String location,
      byte[] raw,
      String component,
      Map<String, String> attributes,
      Instant rejectedAt) {
    return rejectedInput(
        reason,
        message,
        sourceType,
        location,
        raw,
        0,
        raw.length,
        raw.length,
        component,
        attributes,
        rejectedAt);
  }

  /**
   * An alert (or any record) a sink could not deliver or could not read (source type {@code sink}).
   *
   * @param location the record on its topic, see {@link #location(String, int, long)}
   */
  public static Rejected failedDelivery(
      String reason,
      String message,
      String location,
      byte[] raw,
      String component,
      Map<String, String> attributes,
      Instant rejectedAt) {
    return rejectedInput(
        reason, message, SourceType.sink, location, raw, component, attributes, rejectedAt);
  }

  /** {@code topic/partition@offset}: where a record sits in Kafka. */
  public static String location(String topic, int partition, long offset) {
    return topic + "/" + partition + "@" + offset;
  }

  private static Rejected build(
      String reason,
      String message,
      SourceType sourceType,
      String location,
      byte[] raw,
      int off,
      int len,
      long rawSize,
      String component,
      Map<String, String> attributes,
      Instant rejectedAt) {
    int kept = Math.min(len, MAX_RAW_BYTES);
    boolean truncated = len > kept || rawSize > kept;
    return Rejected.newBuilder()
        .setReason(reason)
        .setMessage(message == null ? reason : message)
        .setSourceType(sourceType)
        .setSourceLocation(location)
        .setRejectedAt(rejectedAt)
        .setRaw(ByteBuffer.wrap(Arrays.copyOfRange(raw, off, off + kept)))
        .setRawTruncated(truncated)
        .setRawSize(rawSize)
        .setComponent(component)
        // A copy in the caller's order: the attributes are written in this order.
        .setAttributes(Collections.unmodifiableMap(new LinkedHashMap<>(attributes)))
        .build();
  }
}
