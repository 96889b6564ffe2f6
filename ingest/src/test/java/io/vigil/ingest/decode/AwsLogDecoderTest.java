package io.vigil.ingest.decode;

import static io.vigil.ingest.decode.Samples.event;
import static io.vigil.ingest.decode.Samples.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AwsLogDecoderTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void recordsFileBecomesTypedEventsWithTheirOriginalJson() throws IOException {
    Collected c =
        Collected.decode(
            Collected.gzip(records(event("e-1", "StopLogging"), event("e-2", "DeleteTrail"))));

    assertThat(c.summary.format()).isEqualTo(LogFormat.CLOUDTRAIL_RECORDS);
    assertThat(c.rejected).isEmpty();
    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("e-1", "e-2");
    assertThat(c.positions)
        .containsExactly("s3://logs/AWSLogs/obj#record=0", "s3://logs/AWSLogs/obj#record=1");
    CloudTrailEvent e = c.events.get(0);
    assertThat(e.getEventName()).isEqualTo("StopLogging");
    assertThat(e.getEventTimeMillis()).isEqualTo(Instant.parse("2024-07-31T13:06:24Z"));
    assertThat(e.getReadOnly()).isFalse();
    assertThat(e.getManagementEvent()).isTrue();
    assertThat(e.getUserIdentity().getType()).isEqualTo("AssumedRole");
    assertThat(e.getUserIdentity().getSessionContext().getSessionIssuer().getArn())
        .isEqualTo("arn:aws:iam::111122223333:role/admin");
    assertThat(e.getUserIdentity().getSessionContext().getAttributes().getMfaAuthenticated())
        .isEqualTo("false");
    assertThat(MAPPER.readTree(e.getUserIdentity().getJson()))
        .isEqualTo(MAPPER.readTree(event("e-1", "x")).get("userIdentity"));
    assertThat(e.getRequestParameters()).isEqualTo("{\"name\":\"trail-1\",\"size\":1.10}");
    assertThat(e.getResponseElements()).isNull();
    assertThat(e.getResources())
        .singleElement()
        .satisfies(r -> assertThat(r.getType()).isEqualTo("AWS::CloudTrail::Trail"));
    assertThat(e.getTlsDetails().getTlsVersion()).isEqualTo("TLSv1.3");
    assertThat(MAPPER.readTree(e.getRawJson()))
        .isEqualTo(MAPPER.readTree(event("e-1", "StopLogging")));
    assertThat(e.getIngest().getLocation()).isEqualTo("s3://logs/AWSLogs/obj#record=0");
    assertThat(c.summary.records()).isEqualTo(2);
    assertThat(c.summary.decompressedBytes()).isGreaterThan(c.summary.compressedBytes());
  }

  @Test
  void stringsThatNeedEscapingKeepTheirTextInTheCompactJson() throws IOException {
    // quotes, backslashes and control chars in a typed field, a free-form value and a field name,
    // at the start, middle and end of a string: the compact copy must parse back to the same tree
    String event =
        "{\"eventID\":\"e-\\\"1\",\"eventTime\":\"2024-07-31T13:06:24Z\","
            + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"Put\","
            + "\"userAgent\":\"a\\\\b\\nc\\u0001\","
            + "\"requestParameters\":{\"k\\\"ey\":[\"\\tx\",\"y\\\"\",\"plain\"]}}";
    Collected c = Collected.decode(records(event));

    assertThat(c.rejected).isEmpty();
    CloudTrailEvent e = c.events.get(0);
    assertThat(e.getEventID()).isEqualTo("e-\"1");
    assertThat(e.getUserAgent()).isEqualTo("a\\b\nc\u0001");
    assertThat(MAPPER.readTree(e.getRequestParameters()).get("k\"ey").get(1).asText())
        .isEqualTo("y\"");
    assertThat(MAPPER.readTree(e.getRawJson())).isEqualTo(MAPPER.readTree(event));
  }

  @Test
  void aLineCutInsideAStringDoesNotTakeTheNextLineWithIt() {
    String cut = event("a", "DescribeTrails");
    cut = cut.substring(0, cut.indexOf("DescribeTrails") + 4);
    Collected c =
        Collected.decode(event("x", "X") + "\n" + cut + "\n" + event("b", "StopLogging") + "\n");

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("x", "b");
    assertThat(c.reasons()).containsExactly("invalid-json");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#line=2");
  }

  @Test
  void bareArrayOfEventsDecodes() {
    Collected c = Collected.decode("[" + event("a", "X") + ",\n" + event("b", "Y") + "]");

    assertThat(c.summary.format()).isEqualTo(LogFormat.CLOUDTRAIL_ARRAY);
    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "b");
  }

  @Test
  void jsonLinesResyncAtTheLineAfterInvalidJson() {
    Collected c =
        Collected.decode(event("a", "X") + "\n{\"eventID\": broken\n\n" + event("c", "Z") + "\r\n");

    assertThat(c.summary.format()).isEqualTo(LogFormat.CLOUDTRAIL_JSON_LINES);
    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "c");
    assertThat(c.positions)
        .containsExactly("s3://logs/AWSLogs/obj#line=1", "s3://logs/AWSLogs/obj#line=4");
    assertThat(c.reasons()).containsExactly("invalid-json");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#line=2");
    assertThat(new String(c.rejected.get(0).getRaw().array(), StandardCharsets.UTF_8))
        .isEqualTo("{\"eventID\": broken");
  }

  @Test
  void singleRawEventAndPrettyPrintedEventDecode() throws IOException {
    assertThat(Collected.decode(event("a", "X")).events).hasSize(1);
    String pretty =
        MAPPER
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(MAPPER.readTree(event("p", "X")));
    Collected c = Collected.decode(pretty + "\n" + pretty);
    assertThat(c.rejected).isEmpty();
    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("p", "p");
  }

  @Test
  void multiMemberGzipDecodesEveryMember() {
    byte[] first = Collected.gzip(event("a", "X") + "\n");
    byte[] second = Collected.gzip(event("b", "Y") + "\n");
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);

    Collected c = Collected.decode(both);

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "b");
    assertThat(c.rejected).isEmpty();
  }

  @Test
  void cloudWatchDataMessageCarriesEventsAndFlowLines() {
    String payload =
        "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"g\",\"logStream\":\"s\","
            + "\"subscriptionFilters\":[\"f\"],\"logEvents\":["
            + "{\"id\":\"1\",\"timestamp\":1,\"message\":"
            + quote(event("a", "X"))
            + "},{\"id\":\"2\",\"timestamp\":2,\"message\":\"2 123456789012 eni-1 10.0.0.1 10.0.0.2"
            + " 443 49152 6 10 840 1700000000 1700000060 ACCEPT"
            + " OK\"},{\"id\":\"3\",\"timestamp\":3,\"message\":\"not a flow line\"}]}";

    Collected c = Collected.decode(Collected.gzip(payload));

    assertThat(c.summary.format()).isEqualTo(LogFormat.CLOUDWATCH_LOGS);
    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a");
    assertThat(c.flows).extracting(FlowRecord::getDstport).containsExactly(49152);
    assertThat(c.positions)
        .containsExactly("s3://logs/AWSLogs/obj#logEvent=0", "s3://logs/AWSLogs/obj#logEvent=1");
    assertThat(c.reasons()).containsExactly("wrong-field-count");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#logEvent=2");
  }

  @Test
  void cloudWatchControlMessageIsSkipped() {
    String controlEvent =
        "{\"id\":\"\",\"timestamp\":1,\"message\":\"CWL CONTROL MESSAGE: Checking health of"
            + " destination\"}";
    Collected c =
        Collected.decode(
            Collected.gzip(
                "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logEvents\":["
                    + controlEvent
                    + "]}"));

    assertThat(c.summary.format()).isEqualTo(LogFormat.CLOUDWATCH_LOGS);
    assertThat(c.events).isEmpty();
    assertThat(c.flows).isEmpty();
    assertThat(c.rejected).isEmpty();
  }

  @Test
  void cloudTrailDigestIsRecognisedByContentAndSkipped() {
    Collected c =
        Collected.decode(
            Collected.gzip(
                "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2024-01-01T00:00:00Z\","
                    + "\"digestPublicKeyFingerprint\":\"abc\",\"logFiles\":[{\"s3Object\":\"k\"}]}"));

    assertThat(c.summary.format()).isEqualTo(LogFormat.CLOUDTRAIL_DIGEST);
    assertThat(c.events).isEmpty();
    assertThat(c.rejected).isEmpty();
  }

  @Test
  void flowLogWithHeaderMapsFieldsNullsNumbersAndExtras() {
    String text =
        Samples.FLOW_HEADER_V5
            + " ecs-cluster-name reject-reason future-field\n"
            + Samples.flowV5(1)
            + " prod BPA - \n"
            + "5 123456789012 eni-0a1b2c3d - - - - - - - 1700000000 1700000060 - NODATA - - - - - -"
            + " - - - - - - - - - - - new\n";

    Collected c = Collected.decode(Collected.gzip(text));

    assertThat(c.summary.format()).isEqualTo(LogFormat.VPC_FLOW_LOG);
    assertThat(c.rejected).isEmpty();
    assertThat(c.positions)
        .containsExactly("s3://logs/AWSLogs/obj#line=2", "s3://logs/AWSLogs/obj#line=3");
    FlowRecord r = c.flows.get(0);
    assertThat(r.getVersion()).isEqualTo(5);
    assertThat(r.getSrcaddr()).isEqualTo("10.0.1.1");
    assertThat(r.getDstport()).isEqualTo(443);
    assertThat(r.getBytes()).isEqualTo(4312L);
    assertThat(r.getStart()).isEqualTo(1700000000L);
    assertThat(r.getTcpFlags()).isEqualTo(19);
    assertThat(r.getSublocationType()).isNull();
    assertThat(r.getTrafficPath()).isEqualTo(8);
    assertThat(r.getEcsClusterName()).isEqualTo("prod");
    assertThat(r.getRejectReason()).isEqualTo("BPA");
    assertThat(r.getExtras()).isEmpty();
    assertThat(r.getNoData()).isFalse();
    assertThat(r.getRecordRef()).hasSize(32);
    FlowRecord noData = c.flows.get(1);
    assertThat(noData.getNoData()).isTrue();
    assertThat(noData.getSrcaddr()).isNull();
    assertThat(noData.getExtras()).containsEntry("future-field", "new");
  }

  @Test
  void skipDataIsFlagged() {
    Collected c =
        Collected.decode("version interface-id start end log-status\n2 eni-1 1 2 SKIPDATA\n");

    assertThat(c.flows)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getSkipData()).isTrue();
              assertThat(r.getNoData()).isFalse();
            });
  }

  @Test
  void headerlessFlowLineDecodesInTheDefaultFormatWithTheSameReference() {
    String line =
        "2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK";
    Collected raw = Collected.decode(line);
    Collected withHeader = Collected.decode(FlowField.DEFAULT_HEADER + "\n" + line + "\n");
    Collected again = Collected.decode(FlowField.DEFAULT_HEADER + "\n" + line + "\n");

    assertThat(raw.flows)
        .singleElement()
        .satisfies(r -> assertThat(r.getAction()).isEqualTo("ACCEPT"));
    assertThat(raw.flows.get(0).getRecordRef())
        .isEqualTo(withHeader.flows.get(0).getRecordRef())
        .isEqualTo(again.flows.get(0).getRecordRef());
  }

  @Test
  void textThatIsNoLogIsRefusedOnceAsAWhole() {
    String license =
        "                                 Apache License\n"
            + "                           Version 2.0, January 2004\n"
            + "\n"
            + "   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n"
            + "2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060"
            + " ACCEPT OK\n";

    Collected c = Collected.decode(license);

    assertThat(c.summary.format()).isEqualTo(LogFormat.NONE);
    assertThat(c.flows).isEmpty();
    assertThat(c.reasons()).containsExactly("unrecognised-format");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#line=1");
    assertThat(c.rejected.get(0).getMessage())
        .contains("neither JSON, a VPC flow log header nor a flow record");
  }

  @Test
  void aLinePutInFrontOfEventsToHideThemIsAGapWithWhatItHid() {
    String text =
        "this is not a log\n" + event("a", "StopLogging") + "\n" + event("b", "DeleteTrail") + "\n";

    Collected c = Collected.decode(text);

    assertThat(c.events).isEmpty();
    assertThat(c.reasons()).containsExactly("unreadable-gap");
    Rejected gap = c.rejected.get(0);
    assertThat(gap.getSourceLocation()).isEqualTo("s3://logs/AWSLogs/obj#line=1");
    assertThat(gap.getAttributes())
        .containsEntry(DeadLetters.GAP, "true")
        .containsEntry(DeadLetters.GAP_CAUSE, "unrecognised-format")
        .containsEntry(DeadLetters.UNREAD_RECORDS, "2");
    assertThat(gap.getMessage()).contains("2 lines after it are JSON objects");
  }

  @Test
  void headerlessFlowTextWithADamagedFirstLineKeepsTheLinesAfterIt() {
    String text =
        "2 123456789012 eni-1 10.0.0.1 10.0.0.2 https 49152 6 10 840 1700000000 1700000060"
            + " ACCEPT OK\n"
            + "2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060"
            + " REJECT OK\n";

    Collected c = Collected.decode(text);

    assertThat(c.summary.format()).isEqualTo(LogFormat.VPC_FLOW_LOG);
    assertThat(c.reasons()).containsExactly("bad-number");
    assertThat(c.flows).extracting(FlowRecord::getAction).containsExactly("REJECT");
  }

  @Test
  void flowLinesOfTheWrongWidthOrWithBadNumbersAreRejectedAndTheOthersArrive() {
    String text =
        "version srcaddr dstport bytes\n2 10.0.0.1 443 10\n2 10.0.0.1 443\n2 10.0.0.1 https 10\n"
            + "2 10.0.0.1 99999999999 1\n2 10.0.0.2 22 5\n";

    Collected c = Collected.decode(text);

    assertThat(c.flows).extracting(FlowRecord::getDstport).containsExactly(443, 22);
    assertThat(c.reasons()).containsExactly("wrong-field-count", "bad-number", "bad-number");
    assertThat(c.rejectedAt())
        .containsExactly(
            "s3://logs/AWSLogs/obj#line=3",
            "s3://logs/AWSLogs/obj#line=4",
            "s3://logs/AWSLogs/obj#line=5");
    Rejected bad = c.rejected.get(1);
    assertThat(bad.getMessage()).contains("dstport").contains("https");
    assertThat(new String(bad.getRaw().array(), StandardCharsets.UTF_8))
        .isEqualTo("2 10.0.0.1 https 10");
    assertThat(bad.getComponent()).isEqualTo("ingest");
    assertThat(bad.getSourceType()).isEqualTo(Collected.SOURCE.type());
  }

  @Test
  void elementThatIsNotAnEventIsRejectedAtItsIndex() {
    Collected c =
        Collected.decode(records(event("a", "X"), "{\"hello\":\"world\"}", "42", event("d", "Y")));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "d");
    assertThat(c.reasons()).containsExactly("not-an-event", "not-an-event");
    assertThat(c.rejectedAt())
        .containsExactly("s3://logs/AWSLogs/obj#record=1", "s3://logs/AWSLogs/obj#record=2");
    assertThat(c.rejected.get(0).getMessage())
        .contains("eventID", "eventTime", "eventName", "eventSource");
    assertThat(new String(c.rejected.get(0).getRaw().array(), StandardCharsets.UTF_8))
        .isEqualTo("{\"hello\":\"world\"}");
  }

  @Test
  void unparseableEventTimeIsRejected() {
    Collected c =
        Collected.decode(
            records(
                event("a", "X", "yesterday"),
                event("b", "X", "2024-02-30T00:00:00Z"),
                event("c", "X", "2024-01-01T10:00:00.123+02:00")));

    assertThat(c.reasons()).containsExactly("bad-event-time", "bad-event-time");
    assertThat(c.rejected.get(0).getMessage()).contains("yesterday");
    assertThat(c.events)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getEventTimeMillis())
                    .isEqualTo(Instant.parse("2024-01-01T08:00:00.123Z")));
  }

  @Test
  void recordOverTheLimitIsSkippedWithoutStoppingTheFile() {
    AwsLogDecoder decoder = new AwsLogDecoder(new DecodeLimits(4096, 1L << 30));
    String big =
        event("big", "X")
            .replace(
                "\"requestID\"",
                "\"padding\":[" + "\"xxxxxxxxxx\",".repeat(1000) + "1],\"requestID\"");

    Collected c =
        Collected.decode(decoder, Collected.gzip(records(event("a", "X"), big, event("c", "Y"))));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "c");
    assertThat(c.reasons()).containsExactly("record-too-large");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#record=1");
    assertThat(c.rejected.get(0).getRawSize()).isEqualTo(big.length());
    assertThat(c.rejected.get(0).getRawTruncated()).isTrue();
  }

  @Test
  void jsonLineOverTheLimitIsRejectedAndTheNextLineDecodes() {
    AwsLogDecoder decoder = new AwsLogDecoder(new DecodeLimits(2048, 1L << 30));
    String big = "{\"x\":\"" + "y".repeat(200_000) + "\"}";

    Collected c =
        Collected.decode(
            decoder,
            (event("a", "X") + "\n" + big + "\n" + event("c", "Y") + "\n")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "c");
    assertThat(c.reasons()).containsExactly("record-too-large");
    assertThat(c.rejected.get(0).getRawSize()).isEqualTo(big.length());
    assertThat(c.rejected.get(0).getRaw().remaining())
        .isLessThanOrEqualTo(DeadLetters.MAX_RAW_BYTES);
  }

  @Test
  void brokenRecordInARecordsFileIsRejectedAloneAndTheRecordsAfterItDecode() {
    String text = records(event("a", "X"), event("b", "Y"), "{\"eventID\": oops}", event("d", "Z"));

    Collected c = Collected.decode(Collected.gzip(text));

    assertThat(c.events).extracting(CloudTrailEvent::getEventID).containsExactly("a", "b", "d");
    assertThat(c.reasons()).containsExactly("invalid-json");
    assertThat(c.rejectedAt()).containsExactly("s3://logs/AWSLogs/obj#record=2");
    assertThat(c.rejected.get(0).getMessage()).contains("the record was skipped");
  }

  @Test
  void truncatedGzipKeepsTheRecordsBeforeTheCut() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      text.append(Samples.flowV5(i)).append('\n');
    }
    byte[] gz = Collected.gzip(Samples.FLOW_HEADER_V5 + "\n" + text);

    Collected c = Collected.decode(Arrays.copyOf(gz, gz.length / 2));

    assertThat(c.flows.size()).isBetween(1, 1999);
    assertThat(c.reasons()).containsExactly("truncated-gzip");
    assertThat(c.rejectedAt()).singleElement().asString().contains("#line=");
  }

  @Test
  void gzipBombStopsAtTheObjectLimit() {
    byte[] bomb = Collected.gzip(new byte[20 * 1024 * 1024]);
    AwsLogDecoder decoder = new AwsLogDecoder(new DecodeLimits(1 << 20, 1 << 20));

    Collected c = Collected.decode(decoder, bomb);

    assertThat(c.reasons()).contains("object-too-large");
    assertThat(c.summary.decompressedBytes()).isLessThanOrEqualTo(1 << 20);
  }

  @Test
  void corruptGzipIsRejected() {
    byte[] gz = Collected.gzip(records(event("a", "X")));
    gz[gz.length - 6] ^= 0x55; // inside the CRC trailer

    Collected c = Collected.decode(gz);

    assertThat(c.reasons()).contains("corrupt-gzip");
  }

  @Test
  void failureOfTheCallersStreamPropagatesForARetry() {
    byte[] gz = Collected.gzip(records(event("a", "X"), event("b", "Y")));
    InputStream failing = resetAfter(gz, gz.length / 2);

    assertThatThrownBy(() -> new AwsLogDecoder().decode(failing, Collected.SOURCE, new Collected()))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
  }

  // Objects decompressed ahead on a second thread (past InflateAhead.INLINE_BYTES) fail the same
  // way.

  @Test
  void aLargeTruncatedGzipKeepsTheRecordsBeforeTheCutAndCountsEveryByte() {
    String log = flowLog(20_000);
    assertThat(log.length()).isGreaterThan(4 * InflateAhead.INLINE_BYTES);
    byte[] gz = Collected.gzip(log);
    byte[] cut = Arrays.copyOf(gz, gz.length * 3 / 4);

    Collected c = Collected.decode(cut);

    assertThat(c.flows.size()).isBetween(10_000, 19_999);
    assertThat(c.reasons()).containsExactly("truncated-gzip");
    assertThat(c.rejectedAt()).singleElement().asString().contains("#line=");
    assertThat(c.summary.compressedBytes()).isEqualTo(cut.length);
  }

  @Test
  void aLargeObjectWhoseCallersStreamFailsPropagatesTheFailureForARetry() {
    byte[] gz = Collected.gzip(flowLog(20_000));

    assertThatThrownBy(
            () ->
                new AwsLogDecoder()
                    .decode(resetAfter(gz, gz.length * 3 / 4), Collected.SOURCE, new Collected()))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
  }

  private static String flowLog(int lines) {
    StringBuilder text = new StringBuilder(Samples.FLOW_HEADER_V5).append('\n');
    for (int i = 0; i < lines; i++) {
      text.append(Samples.flowV5(i)).append('\n');
    }
    return text.toString();
  }

  /** The first {@code length} bytes, then a connection reset. */
  private static InputStream resetAfter(byte[] bytes, int length) {
    return new SequenceInputStream(
        new ByteArrayInputStream(bytes, 0, length),
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        });
  }

  @Test
  void emptyInputDecodesToNothing() {
    Collected c = Collected.decode(new byte[0]);

    assertThat(c.summary.format()).isEqualTo(LogFormat.NONE);
    assertThat(c.summary.records()).isZero();
    assertThat(c.rejected).isEmpty();
  }

  @Test
  void logstashTimestampStandsInForAMissingEventTime() {
    String shipped =
        event("a", "X")
            .replace(
                "\"eventTime\":\"2024-07-31T13:06:24Z\"",
                "\"@timestamp\":\"2020-09-14T00:44:23.000Z\"");

    Collected c = Collected.decode(shipped);

    assertThat(c.events)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getEventTimeMillis())
                    .isEqualTo(Instant.parse("2020-09-14T00:44:23Z")));
  }

  private static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
