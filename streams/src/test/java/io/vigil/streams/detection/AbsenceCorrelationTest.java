package io.vigil.streams.detection;

import static io.vigil.streams.detection.TestEvents.ct;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Absence correlations (a first event, then no follow-up within the timespan), through the built-in
 * aws-cloudtrail-stopped-not-restarted, in the Kafka Streams topology and the scan's offline
 * detector alike.
 */
class AbsenceCorrelationTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final DetectionEngine ENGINE = DetectionEngine.load(DetectionSettings.DEFAULTS);

  private DetectionRunner runner;

  private DetectionRunner runner(String kind) {
    runner = DetectionRunner.of(kind, ENGINE, DetectionSettings.DEFAULTS);
    return runner;
  }

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private static void trail(DetectionRunner r, String eventName, String trail, Instant at) {
    r.cloudTrail(
        ct("cloudtrail.amazonaws.com", eventName, at)
            .request("{\"name\":\"" + trail + "\"}")
            .build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void aTrailStoppedAndNotStartedWithinThirtyMinutesButNotOneRestartedInTime(String kind) {
    DetectionRunner r = runner(kind);
    trail(r, "StopLogging", "never-restarted", T0);
    trail(r, "StopLogging", "restarted", T0);
    trail(r, "StartLogging", "restarted", T0.plus(Duration.ofMinutes(10)));
    trail(r, "StopLogging", "restarted-late", T0);
    trail(r, "StartLogging", "restarted-late", T0.plus(Duration.ofMinutes(40)));
    trail(r, "StartLogging", "started-before", T0.minus(Duration.ofMinutes(5)));
    trail(r, "StopLogging", "started-before", T0);
    // A refused stop stopped nothing.
    r.cloudTrail(
        ct("cloudtrail.amazonaws.com", "StopLogging", T0)
            .request("{\"name\":\"refused\"}")
            .error("AccessDenied", "no")
            .build());
    // Stream time moves on past the deadlines and the grace (other correlation traffic).
    trail(r, "StartLogging", "other", T0.plus(Duration.ofHours(2)));
    r.flush();
    r.flush();
    r.flush();

    List<Alert> alerts =
        r.alerts().stream()
            .filter(a -> a.getRuleId().equals("aws-cloudtrail-stopped-not-restarted"))
            .toList();
    assertThat(alerts)
        .extracting(Alert::getEntity)
        .containsExactlyInAnyOrder(
            "111122223333 / never-restarted",
            "111122223333 / restarted-late",
            "111122223333 / started-before");
    Alert neverRestarted =
        alerts.stream().filter(a -> a.getEntity().endsWith("never-restarted")).findFirst().get();
    assertThat(neverRestarted.getSeverity()).isEqualTo(Severity.high);
    assertThat(neverRestarted.getFirstSeen()).isEqualTo(T0.toString());
    assertThat(neverRestarted.getEventIds()).hasSize(1);
    assertThat(neverRestarted.getEvidence())
        .containsEntry("absence.first", "aws-cloudtrail-stopped")
        .containsEntry("absence.missing", "aws-cloudtrail-started")
        .containsEntry("absence.timespan", "30m")
        .containsEntry("requestParameters.name", "never-restarted");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void aStopWaitsWhileStreamTimeHasNotPassedItsDeadline(String kind) {
    DetectionRunner r = runner(kind);
    trail(r, "StopLogging", "main", T0);
    trail(r, "StartLogging", "other", T0.plus(Duration.ofMinutes(20)));
    r.flush();
    r.flush();
    if (!kind.equals("topology")) {
      // The scan's end decides by wall-clock time: these logs are days old, so the stop is raised.
      assertThat(r.alerts())
          .extracting(Alert::getRuleId)
          .contains("aws-cloudtrail-stopped-not-restarted");
      return;
    }
    assertThat(r.alerts())
        .extracting(Alert::getRuleId)
        .doesNotContain("aws-cloudtrail-stopped-not-restarted");
    // The restart comes at 25 minutes, in time.
    trail(r, "StartLogging", "main", T0.plus(Duration.ofMinutes(25)));
    trail(r, "StartLogging", "other", T0.plus(Duration.ofHours(2)));
    r.flush();
    r.flush();
    assertThat(r.alerts())
        .extracting(Alert::getRuleId)
        .doesNotContain("aws-cloudtrail-stopped-not-restarted");
  }
}
