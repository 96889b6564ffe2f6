package io.vigil.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.schemas.Alert;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code vigil scan} of files with crafted records: a StopLogging after a record nested past the
 * parser's depth still raises its alert, and a gap the decoder cannot read past is an alert of its
 * own, whatever the thread count.
 */
class OfflineScanRecordIsolationTest {

  private static final DetectionEngine ENGINE = DetectionEngine.load(DetectionSettings.DEFAULTS);

  @TempDir Path dir;

  private static String event(String id, String name) {
    return "{\"eventVersion\":\"1.10\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
        + "\"arn:aws:iam::111122223333:user/mallory\",\"accountId\":\"111122223333\"},"
        + "\"eventTime\":\"2026-12-01T10:00:00Z\",\"eventSource\":\"cloudtrail.amazonaws.com\","
        + "\"eventName\":\""
        + name
        + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"198.51.100.7\","
        + "\"eventID\":\""
        + id
        + "\",\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}";
  }

  private List<String> scan(String content, int threads) throws Exception {
    Path file = dir.resolve("trail.json");
    Files.writeString(file, content);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    OfflineScan.scan(
        ENGINE,
        DetectionSettings.DEFAULTS,
        new AwsLogDecoder(),
        List.of(file),
        Alert::getRuleId,
        false,
        threads,
        ScanWorkers.Bounds.forThreads(threads),
        new PrintWriter(out, true),
        new PrintWriter(err, true));
    return Arrays.stream(out.toString().split("\n")).filter(l -> !l.isBlank()).toList();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void stopLoggingAfterARecordTooDeepStillRaisesItsAlert(int threads) throws Exception {
    String deep = "{\"eventID\":\"deep\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    String file =
        "{\"Records\":["
            + event("a", "DescribeTrails")
            + ","
            + deep
            + ","
            + event("b", "StopLogging")
            + "]}";

    // The stop, and (these logs being old, with no restart in them) the trail not restarted.
    assertThat(scan(file, threads))
        .containsExactlyInAnyOrder(
            "aws-cloudtrail-logging-disabled", "aws-cloudtrail-stopped-not-restarted");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aGapTheDecoderCannotReadPastIsAnAlert(int threads) throws Exception {
    String file =
        "{\"Records\":["
            + event("a", "DescribeTrails")
            + ",{\"eventID\":\"x\",\"note\":\"never closed,"
            + event("b", "StopLogging")
            + "]}";

    assertThat(scan(file, threads)).containsExactly("vigil-ingest-gap");
  }
}
