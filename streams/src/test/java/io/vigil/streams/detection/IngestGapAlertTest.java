package io.vigil.streams.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.Severity;
import io.vigil.schemas.SourceType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A gap the decoders could not read past (a dead letter marked {@code gap}) is an alert of its own,
 * in the topology and in {@code vigil scan}; other dead letters raise nothing.
 */
class IngestGapAlertTest {

  private static final DetectionEngine ENGINE = DetectionEngine.load(DetectionSettings.DEFAULTS);

  static Stream<BiFunction<DetectionEngine, DetectionSettings, DetectionRunner>> runners() {
    return Stream.of(DetectionRunner::topology, DetectionRunner::offline);
  }

  private static Rejected deadLetter(String reason, Map<String, String> attributes) {
    return DeadLetters.rejectedInput(
        reason,
        "invalid JSON: Unexpected end-of-input in a String value",
        SourceType.s3,
        "s3://trail-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/f.json.gz#record=1",
        new byte[] {'{'},
        0,
        1,
        4242,
        "ingest",
        attributes,
        Instant.parse("2026-12-04T06:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("runners")
  void aGapIsAHighAlertOnItsObjectWithItsCounts(
      BiFunction<DetectionEngine, DetectionSettings, DetectionRunner> make) {
    try (DetectionRunner runner = make.apply(ENGINE, DetectionSettings.DEFAULTS)) {
      runner.rejected(
          deadLetter(
              "unreadable-gap",
              Map.of(
                  DeadLetters.GAP,
                  "true",
                  DeadLetters.GAP_CAUSE,
                  "invalid-json",
                  DeadLetters.UNREAD_BYTES,
                  "4242",
                  DeadLetters.UNREAD_RECORDS,
                  "3",
                  "format",
                  "CLOUDTRAIL_RECORDS")));
      runner.flush();

      List<Alert> alerts = runner.alerts();

      assertThat(alerts).hasSize(1);
      Alert alert = alerts.get(0);
      assertThat(alert.getRuleId()).isEqualTo(IngestGaps.RULE_ID);
      assertThat(alert.getSeverity()).isEqualTo(Severity.high);
      assertThat(alert.getTitle()).contains("could not be read");
      assertThat(alert.getEntity())
          .isEqualTo("s3://trail-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/f.json.gz");
      assertThat(alert.getEvidence())
          .containsEntry("unread_bytes", "4242")
          .containsEntry("unread_records", "3")
          .containsEntry("cause", "invalid-json")
          .containsEntry(
              "location",
              "s3://trail-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/f.json.gz#record=1");
    }
  }

  @ParameterizedTest
  @MethodSource("runners")
  void aRecordRejectedAloneRaisesNoAlert(
      BiFunction<DetectionEngine, DetectionSettings, DetectionRunner> make) {
    try (DetectionRunner runner = make.apply(ENGINE, DetectionSettings.DEFAULTS)) {
      runner.rejected(deadLetter("record-too-deep", Map.of("format", "CLOUDTRAIL_RECORDS")));
      runner.flush();

      assertThat(runner.alerts()).isEmpty();
    }
  }
}
