package io.vigil.sinks.incidents;

import static io.vigil.sinks.TestAlerts.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.sinks.TestAlerts;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alerts placed into incidents one by one, as a sink that pages per incident delivers them. */
class IncidentTrackerTest {

  private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
  private static final String BOB = "arn:aws:iam::111122223333:user/bob";
  private final IncidentTracker tracker = new IncidentTracker(Duration.ofHours(1));

  @Test
  void alertsOnOnePrincipalWithinTheWindowAreOneIncidentWithItsFirstAlertsKey() {
    Alert brute = on("a1", "brute-force", Severity.medium, ALICE, "10:00", "10:05", Map.of());
    Alert stop = on("a2", "stop-logging", Severity.critical, ALICE, "10:50", "10:50", Map.of());

    IncidentTracker.Incident first = tracker.place(brute);
    IncidentTracker.Incident second = tracker.place(stop);

    assertThat(second).isSameAs(first);
    assertThat(second.key()).isEqualTo("incident:" + brute.getDedupKey());
    assertThat(second.severity()).isEqualTo(Severity.critical);
    assertThat(second.alerts()).extracting(Alert::getAlertId).containsExactly("a1", "a2");
    assertThat(tracker.incidentOf(stop.getDedupKey())).containsSame(first);
  }

  @Test
  void aGapLongerThanTheWindowOrNoSharedPivotIsAnotherIncident() {
    IncidentTracker.Incident morning =
        tracker.place(on("a1", "brute-force", Severity.high, ALICE, "10:00", "10:05", Map.of()));
    IncidentTracker.Incident afternoon =
        tracker.place(on("a2", "stop-logging", Severity.high, ALICE, "11:06", "11:06", Map.of()));
    IncidentTracker.Incident bob =
        tracker.place(on("a3", "stop-logging", Severity.high, BOB, "11:07", "11:07", Map.of()));

    assertThat(afternoon).isNotSameAs(morning);
    assertThat(bob).isNotSameAs(afternoon);
    assertThat(tracker.size()).isEqualTo(3);
  }

  @Test
  void aSourceAddressInTheEvidenceLinksTwoPrincipalsAndALinkOfTwoIncidentsJoinsTheOlder() {
    IncidentTracker.Incident alice =
        tracker.place(
            on(
                "a1",
                "brute-force",
                Severity.medium,
                ALICE,
                "10:00",
                "10:00",
                Map.of("sourceIPAddress", "203.0.113.7")));
    IncidentTracker.Incident bob =
        tracker.place(on("a2", "stop-logging", Severity.high, BOB, "10:10", "10:10", Map.of()));
    IncidentTracker.Incident both =
        tracker.place(
            on(
                "a3",
                "key-created",
                Severity.low,
                BOB,
                "10:20",
                "10:20",
                Map.of("sourceIPAddress", "203.0.113.7")));

    assertThat(bob).isNotSameAs(alice);
    assertThat(both).as("the page already sent for alice's incident").isSameAs(alice);
    // An AWS service's name in sourceIPAddress links nothing.
    IncidentTracker.Incident service =
        tracker.place(
            on(
                "a4",
                "key-created",
                Severity.low,
                "arn:aws:iam::111122223333:user/carol",
                "10:21",
                "10:21",
                Map.of("sourceIPAddress", "cloudformation.amazonaws.com")));
    IncidentTracker.Incident other =
        tracker.place(
            on(
                "a5",
                "key-created",
                Severity.low,
                "arn:aws:iam::111122223333:user/dave",
                "10:22",
                "10:22",
                Map.of("sourceIPAddress", "cloudformation.amazonaws.com")));
    assertThat(other).isNotSameAs(service);
  }

  @Test
  void anUpdateOfAnAlertStaysInItsIncidentAsItsLatestPublication() {
    Alert first = TestAlerts.stopLogging();
    IncidentTracker.Incident incident = tracker.place(first);
    IncidentTracker.Incident again = tracker.place(TestAlerts.updated(first, 3));

    assertThat(again).isSameAs(incident);
    assertThat(again.alerts()).singleElement().extracting(Alert::getUpdate).isEqualTo(3);
  }

  @Test
  void incidentsFarBehindTheLatestAlertAreForgotten() {
    for (int i = 0; i < 999; i++) {
      tracker.place(
          on("old-" + i, "r", Severity.low, "198.51.100." + (i % 200), "01:00", "01:00", Map.of()));
    }
    assertThat(tracker.size()).isEqualTo(200);
    // The thousandth placement sweeps: everything two windows behind 10:00 goes.
    tracker.place(on("new", "r", Severity.low, ALICE, "10:00", "10:00", Map.of()));

    assertThat(tracker.size()).isEqualTo(1);
    assertThat(tracker.incidentOf("r|198.51.100.1|old-1")).isEmpty();
  }
}
