package io.vigil.streams.detection;

import static io.vigil.streams.detection.TestEvents.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.FlowRecord;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Alerts on flow records carry the record's region (from its format or, at ingest, its key). */
class FlowAlertRegionTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final DetectionEngine ENGINE = DetectionEngine.load(DetectionSettings.DEFAULTS);

  private static DetectionRunner runner(String kind) {
    return kind.equals("topology")
        ? DetectionRunner.topology(ENGINE, DetectionSettings.DEFAULTS)
        : DetectionRunner.offline(ENGINE, DetectionSettings.DEFAULTS);
  }

  private static FlowRecord inRegion(FlowRecord record) {
    return FlowRecord.newBuilder(record).setRegion("eu-west-3").build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan"})
  void singleEventAndCorrelationAlertsHaveTheFlowsRegion(String kind) {
    try (DetectionRunner r = runner(kind)) {
      r.flow(inRegion(flow(T0, "198.51.100.23", "10.0.1.5", 22, "ACCEPT", 600)));
      for (int port = 1; port <= 20; port++) {
        r.flow(
            inRegion(
                flow(
                    T0.plusSeconds(port), "198.51.100.78", "10.0.1.5", 1000 + port, "REJECT", 60)));
      }

      assertThat(r.alerts())
          .extracting(Alert::getRuleId, Alert::getRegion)
          .contains(
              org.assertj.core.groups.Tuple.tuple("vpc-remote-admin-from-internet", "eu-west-3"),
              org.assertj.core.groups.Tuple.tuple("vpc-port-scan", "eu-west-3"));
    }
  }
}
