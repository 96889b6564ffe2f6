package io.vigil.streams.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.Severity;
import io.vigil.schemas.SourceType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A log file a CloudTrail digest listed and that was not ingested (a dead letter marked {@code
 * missing_log_file}) is an alert on the file, in the topology and in {@code vigil scan}; the
 * evidence says whether it was deleted, and how to fetch it when it was not.
 */
class MissingLogFileAlertTest {

  private static final DetectionEngine ENGINE = DetectionEngine.load(DetectionSettings.DEFAULTS);
  private static final String FILE =
      "s3://trail-bucket/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/12/05/"
          + "111122223333_CloudTrail_eu-west-1_20261205T0105Z_abc.json.gz";
  private static final String DIGEST =
      "s3://trail-bucket/AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/12/05/"
          + "111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20261205T020000Z.json.gz";

  static Stream<BiFunction<DetectionEngine, DetectionSettings, DetectionRunner>> runners() {
    return Stream.of(DetectionRunner::topology, DetectionRunner::offline);
  }

  private static Rejected missing(String objectState, boolean marked) {
    Map<String, String> attributes = new HashMap<>();
    if (marked) {
      attributes.put(DeadLetters.MISSING_LOG_FILE, "true");
    }
    attributes.put(DeadLetters.OBJECT_STATE, objectState);
    attributes.put(DeadLetters.DIGEST, DIGEST);
    attributes.put(DeadLetters.DIGEST_END, "2026-12-05T02:00:00Z");
    attributes.put("account_id", "111122223333");
    attributes.put("region", "eu-west-1");
    return DeadLetters.rejectedInput(
        "log_file_missing",
        "listed in a digest and not ingested",
        SourceType.s3,
        FILE,
        new byte[0],
        "ingest.s3-digests",
        attributes,
        Instant.parse("2026-12-05T03:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("runners")
  void aDeletedLogFileIsAHighAlertOnTheFileWithItsDigest(
      BiFunction<DetectionEngine, DetectionSettings, DetectionRunner> make) {
    try (DetectionRunner runner = make.apply(ENGINE, DetectionSettings.DEFAULTS)) {
      runner.rejected(missing("deleted", true));
      runner.flush();

      List<Alert> alerts = runner.alerts();

      assertThat(alerts).hasSize(1);
      Alert alert = alerts.get(0);
      assertThat(alert.getRuleId()).isEqualTo(MissingLogFiles.RULE_ID);
      assertThat(alert.getSeverity()).isEqualTo(Severity.high);
      assertThat(alert.getEntity()).isEqualTo(FILE);
      assertThat(alert.getAccountId()).isEqualTo("111122223333");
      assertThat(alert.getRegion()).isEqualTo("eu-west-1");
      assertThat(alert.getAttack()).contains("T1070");
      assertThat(alert.getEvidence())
          .containsEntry("object", "deleted")
          .containsEntry("digest", DIGEST)
          .containsEntry("log_file", FILE)
          .doesNotContainKey("fetch_with");
    }
  }

  @ParameterizedTest
  @MethodSource("runners")
  void aFilePresentButNotIngestedSaysHowToFetchIt(
      BiFunction<DetectionEngine, DetectionSettings, DetectionRunner> make) {
    try (DetectionRunner runner = make.apply(ENGINE, DetectionSettings.DEFAULTS)) {
      runner.rejected(missing("present", true));
      runner.flush();

      assertThat(runner.alerts())
          .singleElement()
          .satisfies(
              alert ->
                  assertThat(alert.getEvidence())
                      .containsEntry("object", "present")
                      .containsEntry("fetch_with", "vigil ingest " + FILE));
    }
  }

  @ParameterizedTest
  @MethodSource("runners")
  void anUnmarkedDeadLetterOfTheSameFileRaisesNothing(
      BiFunction<DetectionEngine, DetectionSettings, DetectionRunner> make) {
    try (DetectionRunner runner = make.apply(ENGINE, DetectionSettings.DEFAULTS)) {
      runner.rejected(missing("deleted", false));
      runner.flush();

      assertThat(runner.alerts()).isEmpty();
    }
  }
}
