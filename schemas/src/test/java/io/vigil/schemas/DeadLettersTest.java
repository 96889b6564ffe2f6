package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  private static final Instant AT = Instant.parse("2024-03-05T10:20:00.001Z");

  @Test
  void theCapIs64KiB() {
    assertThat(DeadLetters.MAX_RAW_BYTES).isEqualTo(65_536);
  }

  @Test
  void rawUpToTheCapIsKeptWholeAndNotMarkedTruncated() {
    byte[] exactly = filled(DeadLetters.MAX_RAW_BYTES);
    Rejected r =
        DeadLetters.failedDelivery(
            "sink_failed", "gave up", "vigil.alerts/0@7", exactly, "sinks.hook", Map.of(), AT);
    assertThat(bytes(r.getRaw())).isEqualTo(exactly);
    assertThat(r.getRawTruncated()).isFalse();
    assertThat(r.getRawSize()).isEqualTo(DeadLetters.MAX_RAW_BYTES);
  }

  @Test
  void rawOverTheCapIsCutToItsPrefixAndMarkedTruncatedWithTheOriginalSize() {
    byte[] over = filled(DeadLetters.MAX_RAW_BYTES + 1);
    Rejected r =
        DeadLetters.undecodable(
            "deserialization-failed", "bad", "t/0@0", over, "streams:src", Map.of(), AT);
    assertThat(bytes(r.getRaw())).isEqualTo(Arrays.copyOf(over, DeadLetters.MAX_RAW_BYTES));
    assertThat(r.getRawTruncated()).isTrue();
    assertThat(r.getRawSize()).isEqualTo(DeadLetters.MAX_RAW_BYTES + 1);
  }

  @Test
  void undecodableIsAStreamRecordAndToleratesNoValueAndNoMessage() {
    Rejected r =
        DeadLetters.undecodable(
            "deserialization-failed",
            null,
            DeadLetters.location("vigil.alerts", 2, 41),
            null,
            "streams:alert-view-source",
            Map.of("topic", "vigil.alerts"),
            AT);
    assertThat(r.getReason()).isEqualTo("deserialization-failed");
    assertThat(r.getMessage()).isEqualTo("deserialization-failed");
    assertThat(r.getSourceType()).isEqualTo(SourceType.stream);
    assertThat(r.getSourceLocation()).isEqualTo("vigil.alerts/2@41");
    assertThat(r.getRejectedAt()).isEqualTo(AT);
    assertThat(r.getRaw().remaining()).isZero();
    assertThat(r.getRawTruncated()).isFalse();
    assertThat(r.getRawSize()).isZero();
    assertThat(r.getComponent()).isEqualTo("streams:alert-view-source");
    assertThat(r.getAttributes()).containsExactly(Map.entry("topic", "vigil.alerts"));
  }

  @Test
  void rejectedInputKeepsItsSourceAndOnlyTheSliceAtHand() {
    byte[] line = "xx{\"not\": json}yy".getBytes(StandardCharsets.UTF_8);
    Rejected r =
        DeadLetters.rejectedInput(
            "json_invalid",
            "invalid JSON",
            SourceType.s3,
            "s3://bucket/key#line=3",
            line,
            2,
            13,
            13,
            "ingest",
            Map.of("format", "JSON_LINES"),
            AT);
    assertThat(r.getSourceType()).isEqualTo(SourceType.s3);
    assertThat(r.getSourceLocation()).isEqualTo("s3://bucket/key#line=3");
    assertThat(StandardCharsets.UTF_8.decode(r.getRaw()).toString()).isEqualTo("{\"not\": json}");
    assertThat(r.getRawTruncated()).isFalse();
    assertThat(r.getRawSize()).isEqualTo(13);
    assertThat(r.getComponent()).isEqualTo("ingest");
    assertThat(r.getAttributes()).containsExactly(Map.entry("format", "JSON_LINES"));
  }

  @Test
  void rejectedInputOfAPrefixOfALargerRecordIsTruncated() {
    // A reader kept 10 bytes of a 1 MB line: the record says so.
    byte[] head = filled(10);
    Rejected r =
        DeadLetters.rejectedInput(
            "record_too_large",
            "too large",
            SourceType.file,
            "file:/x#line=1",
            head,
            0,
            10,
            1_000_000,
            "ingest",
            Map.of(),
            AT);
    assertThat(r.getRaw().remaining()).isEqualTo(10);
    assertThat(r.getRawTruncated()).isTrue();
    assertThat(r.getRawSize()).isEqualTo(1_000_000);
  }

  @Test
  void rejectedInputOfUnknownSizeIsTruncatedOnlyWhenMoreThanTheCapIsAtHand() {
    Rejected nothing =
        DeadLetters.rejectedInput(
            "gzip_corrupt",
            "corrupt",
            SourceType.kinesis,
            "kinesis://s/shard/1#line=1",
            new byte[0],
            0,
            0,
            -1,
            "ingest",
            Map.of(),
            AT);
    assertThat(nothing.getRaw().remaining()).isZero();
    assertThat(nothing.getRawTruncated()).isFalse();
    assertThat(nothing.getRawSize()).isEqualTo(-1);

    byte[] over = filled(DeadLetters.MAX_RAW_BYTES + 5);
    Rejected cut =
        DeadLetters.rejectedInput(
            "json_invalid",
            "bad",
            SourceType.s3,
            "s3://b/k#record=0",
            over,
            0,
            over.length,
            -1,
            "ingest",
            Map.of(),
            AT);
    assertThat(cut.getRaw().remaining()).isEqualTo(DeadLetters.MAX_RAW_BYTES);
    assertThat(cut.getRawTruncated()).isTrue();
    assertThat(cut.getRawSize()).isEqualTo(-1);
  }

  @Test
  void rejectedInputOfAWholeMessageCountsAllOfIt() {
    byte[] body = "not a notification".getBytes(StandardCharsets.UTF_8);
    Rejected r =
        DeadLetters.rejectedInput(
            "notification_invalid",
            "not JSON",
            SourceType.sqs,
            "sqs://q/m-1",
            body,
            "ingest.s3-notifications",
            Map.of("queue", "q"),
            AT);
    assertThat(bytes(r.getRaw())).isEqualTo(body);
    assertThat(r.getRawTruncated()).isFalse();
    assertThat(r.getRawSize()).isEqualTo(body.length);
    assertThat(r.getSourceType()).isEqualTo(SourceType.sqs);
    assertThat(r.getComponent()).isEqualTo("ingest.s3-notifications");
  }

  @Test
  void failedDeliveryIsASinkRecordWithItsAttributesInTheCallersOrder() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("sink", "hook");
    attributes.put("topic", "vigil.alerts");
    attributes.put("exception", "java.io.IOException");
    byte[] alert = "{\"rule_id\":\"r\"}".getBytes(StandardCharsets.UTF_8);
    Rejected r =
        DeadLetters.failedDelivery(
            "sink_fatal",
            "HTTP 400",
            DeadLetters.location("vigil.alerts", 0, 9),
            alert,
            "sinks.hook",
            attributes,
            AT);
    assertThat(r.getSourceType()).isEqualTo(SourceType.sink);
    assertThat(r.getSourceLocation()).isEqualTo("vigil.alerts/0@9");
    assertThat(r.getMessage()).isEqualTo("HTTP 400");
    assertThat(bytes(r.getRaw())).isEqualTo(alert);
    assertThat(r.getRawSize()).isEqualTo(alert.length);
    assertThat(r.getComponent()).isEqualTo("sinks.hook");
    assertThat(r.getAttributes().keySet()).containsExactly("sink", "topic", "exception");
  }

  @Test
  void theRecordDoesNotShareTheCallersBytesOrAttributes() {
    byte[] raw = filled(4);
    Map<String, String> attributes = new LinkedHashMap<>(Map.of("k", "v"));
    Rejected r = DeadLetters.failedDelivery("x", "y", "t/0@0", raw, "sinks.s", attributes, AT);
    raw[0] = 42;
    attributes.put("k", "changed");
    assertThat(bytes(r.getRaw())).isEqualTo(filled(4));
    assertThat(r.getAttributes()).containsExactly(Map.entry("k", "v"));
  }

  private static byte[] filled(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
