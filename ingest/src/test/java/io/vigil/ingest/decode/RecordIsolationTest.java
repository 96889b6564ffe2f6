package io.vigil.ingest.decode;

import static io.vigil.ingest.decode.Samples.event;
import static io.vigil.ingest.decode.Samples.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.Rejected;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * No record hides another: a record over a parser limit, or broken, is rejected alone with its own
 * reason and position, and the records after it decode, in every framing; where no boundary can be
 * found, the rest is reported as a gap with its counts.
 */
class RecordIsolationTest {

  private static final String STOP = event("stop", "StopLogging");

  private static String deep(int depth) {
    return "{\"eventID\":\"deep\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
  }

  private static String longString(int length) {
    return "{\"eventID\":\"long\",\"x\":\"" + "a".repeat(length) + "\"}";
  }

  private static String longNumber(int digits) {
    return "{\"eventID\":\"num\",\"x\":" + "1".repeat(digits) + "}";
  }

  @Test
  void recordNestedPastTheParserDepthIsRejectedAloneAndStopLoggingAfterItDecodes() {
    Collected c = Collected.decode(Collected.gzip(records(event("a", "X"), deep(5000), STOP)));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop");
    assertThat(c.reasons()).containsExactly("record-too-deep");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#record=1");
    assertThat(c.positions).last().isEqualTo("s3://logs/AWSLogs/obj#record=2");
  }

  @Test
  void recordWithAStringPastTheLimitIsRejectedAloneAndStopLoggingAfterItDecodes() {
    AwsLogDecoder decoder = new AwsLogDecoder(new DecodeLimits(16 * 1024, 1L << 30));

    Collected c =
        Collected.decode(
            decoder, Collected.gzip(records(event("a", "X"), longString(200_000), STOP)));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop");
    // The string is skipped undecoded inside a record twelve times the record limit: the record
    // is rejected as too large, with its size and the event it was (its text is not kept).
    assertThat(c.reasons()).containsExactly("record-too-large");
    assertThat(c.rejected.get(0).getMessage())
        .contains("over the limit of 16384 bytes")
        .contains("its eventID is");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#record=1");
  }

  @Test
  void recordWithAStringPastTheLimitIsRejectedAloneWhenEveryRecordIsCopied() {
    AwsLogDecoder decoder =
        new AwsLogDecoder(new DecodeLimits(16 * 1024, 1L << 30), Clock.systemUTC(), false);

    Collected c =
        Collected.decode(
            decoder, Collected.gzip(records(event("a", "X"), longString(200_000), STOP)));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop");
    assertThat(c.reasons()).containsExactly("string-too-long");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#record=1");
  }

  @Test
  void recordWithANumberPastTheLimitIsRejectedAloneAndStopLoggingAfterItDecodes() {
    Collected c = Collected.decode(records(event("a", "X"), longNumber(5000), STOP));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop");
    assertThat(c.reasons()).containsExactly("number-too-long");
  }

  @Test
  void invalidRecordInsideRecordsIsRejectedAloneWithBracketsAndQuotesInsideItsStrings() {
    String broken = "{\"eventID\": oops, \"s\":\"]}[{\\\"\", \"t\": [1, {\"u\": \"\\\\\"}]}";

    Collected c = Collected.decode(records(event("a", "X"), broken, STOP, event("d", "Y")));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop", "d");
    assertThat(c.reasons()).containsExactly("invalid-json");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#record=1");
    assertThat(c.positions)
        .containsExactly(
            "s3://logs/AWSLogs/obj#record=0",
            "s3://logs/AWSLogs/obj#record=2",
            "s3://logs/AWSLogs/obj#record=3");
  }

  @Test
  void garbageBetweenRecordsOfABareArrayIsRejectedAlone() {
    String text = "[" + event("a", "X") + ", garbage \"]]}\" {\"a\":[1]} ," + STOP + "]";

    Collected c = Collected.decode(text);

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop");
    assertThat(c.reasons()).containsExactly("invalid-json");
  }

  @Test
  void truncatedEventInConcatenatedEventsDoesNotTakeTheNextOneWithIt() {
    // a pretty-printed first event makes the decoder read the file as one stream of values
    String pretty = event("a", "X").replace(",\"eventTime\"", ",\n  \"eventTime\"");
    String cut = event("b", "Y").substring(0, 300);
    String text = pretty + "\n" + cut + "\n" + STOP + "\n" + event("d", "Z") + "\n";

    Collected c = Collected.decode(text);

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop", "d");
    assertThat(c.reasons()).containsExactly("invalid-json");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#line=3");
    assertThat(c.positions).element(1).isEqualTo("s3://logs/AWSLogs/obj#line=4");
  }

  @Test
  void recordTooDeepOnAJsonLineIsRejectedWithItsOwnReason() {
    String text = event("a", "X") + "\n" + deep(5000) + "\n" + STOP + "\n";

    Collected c = Collected.decode(text);

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop");
    assertThat(c.reasons()).containsExactly("record-too-deep");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#line=2");
  }

  @Test
  void logEventWithAMessagePastTheStringLimitIsRejectedAloneAndTheOthersDecode() {
    AwsLogDecoder decoder = new AwsLogDecoder(new DecodeLimits(16 * 1024, 1L << 30));
    String payload =
        cloudWatch(
            logEvent(1, quote(event("a", "X"))),
            logEvent(2, "\"" + "x".repeat(100_000) + "\""),
            logEvent(3, quote(STOP)));

    Collected c = Collected.decode(decoder, Collected.gzip(payload));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop");
    assertThat(c.reasons()).containsExactly("string-too-long");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#logEvent=1");
    assertThat(c.positions).last().isEqualTo("s3://logs/AWSLogs/obj#logEvent=2");
  }

  @Test
  void concatenatedCloudWatchPayloadsAreAllRead() {
    String first = cloudWatch(logEvent(1, quote(event("a", "X"))));
    String second = cloudWatch(logEvent(2, quote(STOP)));

    Collected c = Collected.decode(Collected.gzip(first + second));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "stop");
    assertThat(c.rejected).isEmpty();
  }

  @Test
  void unterminatedStringRunningToTheEndIsAGapWithItsCounts() {
    String text =
        "{\"Records\":["
            + event("a", "X")
            + ",{\"eventID\":\"b\",\"x\":\"never closed,"
            + event("c", "Y")
            + ","
            + STOP
            + "]}";

    Collected c = Collected.decode(text);

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a");
    assertThat(c.reasons()).containsExactly("unreadable-gap");
    Rejected gap = c.rejected.get(0);
    assertThat(gap.getSourceLocation()).isEqualTo("s3://logs/AWSLogs/obj#record=1");
    assertThat(gap.getAttributes())
        .containsEntry("gap", "true")
        .containsEntry("cause", "invalid-json")
        .containsEntry("unread_records", "3");
    long unread = Long.parseLong(gap.getAttributes().get("unread_bytes"));
    assertThat(unread).isEqualTo(text.length() - text.indexOf(",{\"eventID\":\"b\""));
    assertThat(gap.getRawSize()).isEqualTo(unread);
  }

  @Test
  void contentAfterTheRecordsObjectIsAGap() {
    String text = records(event("a", "X")) + "\n" + records(STOP);

    Collected c = Collected.decode(text);

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a");
    assertThat(c.reasons()).containsExactly("unreadable-gap");
    assertThat(c.rejected.get(0).getAttributes()).containsEntry("unread_records", "1");
  }

  @Test
  void truncatedGzipIsMarkedAsAGap() {
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      events.append(event("e" + i, "X")).append('\n');
    }
    byte[] gz = Collected.gzip(events.toString());

    Collected c = Collected.decode(Arrays.copyOf(gz, gz.length / 2));

    assertThat(c.reasons()).containsExactly("truncated-gzip");
    assertThat(c.rejected.get(0).getAttributes())
        .containsEntry("gap", "true")
        .containsEntry("cause", "truncated-gzip")
        .containsEntry("unread_bytes", "0");
  }

  @Test
  void aRecordTooLongToBeRevisitedStillEndsInAGapNotSilence() {
    AwsLogDecoder decoder = new AwsLogDecoder(new DecodeLimits(4 * 1024, 1L << 30));
    // 200 KiB of valid fields, then nesting past the parser's depth: longer than the decoder
    // keeps to go back to a record's start
    String huge =
        "{\"eventID\":\"huge\",\"pad\":["
            + "\"0123456789abcdef\",".repeat(12_000)
            + "0],\"x\":"
            + "[".repeat(5000)
            + "]".repeat(5000)
            + "}";

    Collected c = Collected.decode(decoder, records(event("a", "X"), huge, STOP).getBytes(UTF8));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a");
    assertThat(c.reasons()).containsExactly("unreadable-gap");
    assertThat(c.rejected.get(0).getAttributes())
        .containsEntry("gap", "true")
        .containsEntry("cause", "record-too-deep")
        .containsEntry("unread_records", "1");
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  static String cloudWatch(String... logEvents) {
    return "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"g\","
        + "\"logStream\":\"s\",\"subscriptionFilters\":[\"f\"],\"logEvents\":["
        + String.join(",", logEvents)
        + "]}";
  }

  static String logEvent(int id, String quotedMessage) {
    return "{\"id\":\"" + id + "\",\"timestamp\":" + id + ",\"message\":" + quotedMessage + "}";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
