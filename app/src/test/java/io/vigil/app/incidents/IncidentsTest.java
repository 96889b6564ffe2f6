package io.vigil.app.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alerts grouped into incidents by shared principal, access key, resource or address in time. */
class IncidentsTest {

  private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void alertsOfOnePrincipalWithinTheWindowAreOneIncidentWithTheHighestSeverity() {
    List<Incidents.Incident> incidents =
        Incidents.group(
            List.of(
                alert(
                    "a1",
                    "aws-console-brute-force",
                    Severity.medium,
                    ALICE,
                    "10:00",
                    "10:05",
                    Map.of()),
                alert(
                    "a2",
                    "aws-cloudtrail-logging-disabled",
                    Severity.critical,
                    ALICE,
                    "10:40",
                    "10:40",
                    Map.of()),
                alert(
                    "a3",
                    "aws-iam-policy-change",
                    Severity.low,
                    ALICE,
                    "11:30",
                    "11:35",
                    Map.of())),
            HOUR);
    assertThat(incidents).hasSize(1);
    Incidents.Incident incident = incidents.get(0);
    assertThat(incident.id()).isEqualTo("a1");
    assertThat(incident.severity()).isEqualTo(Severity.critical);
    assertThat(incident.alerts()).extracting(Alert::getAlertId).containsExactly("a1", "a2", "a3");
    assertThat(incident.pivots()).containsEntry("principal", java.util.Set.of(ALICE));
    assertThat(incident.json().get("timeline")).hasSize(3);
  }

  @Test
  void aGapLongerThanTheWindowStartsANewIncident() {
    List<Incidents.Incident> incidents =
        Incidents.group(
            List.of(
                alert("a1", "r1", Severity.high, ALICE, "10:00", "10:05", Map.of()),
                alert("a2", "r2", Severity.low, ALICE, "11:06", "11:06", Map.of())),
            HOUR);
    assertThat(incidents).hasSize(2);
    assertThat(incidents.get(0).id()).as("highest severity first").isEqualTo("a1");
  }

  @Test
  void aSourceAddressLinksAPrincipalsAlertToAnAddresssAlertButAServiceNameDoesNot() {
    List<Incidents.Incident> incidents =
        Incidents.group(
            List.of(
                alert(
                    "a1",
                    "aws-console-brute-force",
                    Severity.high,
                    "203.0.113.7",
                    "10:00",
                    "10:02",
                    Map.of()),
                alert(
                    "a2",
                    "aws-root-account-usage",
                    Severity.high,
                    ALICE,
                    "10:10",
                    "10:10",
                    Map.of("sourceIPAddress", "203.0.113.7")),
                alert(
                    "a3",
                    "aws-s3-bucket-public",
                    Severity.medium,
                    "acme-reports",
                    "10:11",
                    "10:11",
                    Map.of("sourceIPAddress", "s3.amazonaws.com")),
                alert(
                    "a4",
                    "aws-s3-bucket-public",
                    Severity.medium,
                    "other-bucket",
                    "10:12",
                    "10:12",
                    Map.of("sourceIPAddress", "s3.amazonaws.com"))),
            HOUR);
    assertThat(incidents).hasSize(3);
    assertThat(incidents.get(0).alerts()).extracting(Alert::getAlertId).containsExactly("a1", "a2");
    assertThat(incidents.get(0).pivots().get("source address")).containsExactly("203.0.113.7");
  }

  @Test
  void aResourcesArnAndItsIdAreOnePivot() {
    List<Incidents.Incident> incidents =
        Incidents.group(
            List.of(
                alert(
                    "a1",
                    "aws-security-group-open-to-world",
                    Severity.high,
                    "sg-0a1b2c3d",
                    "10:00",
                    "10:00",
                    Map.of()),
                alert(
                    "a2",
                    "posture-security-group-open-to-world",
                    Severity.high,
                    "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d",
                    "10:01",
                    "10:01",
                    Map.of()),
                alert(
                    "a3",
                    "posture-s3-bucket-public",
                    Severity.high,
                    "arn:aws:s3:::acme-reports",
                    "10:02",
                    "10:02",
                    Map.of()),
                alert(
                    "a4",
                    "aws-s3-bucket-public",
                    Severity.high,
                    "acme-reports",
                    "10:03",
                    "10:03",
                    Map.of())),
            HOUR);
    assertThat(incidents).hasSize(2);
    assertThat(incidents).allSatisfy(incident -> assertThat(incident.alerts()).hasSize(2));
  }

  @Test
  void anAccessKeyJoinsTwoPrincipalsIncidentsIntoOne() {
    String bob = "arn:aws:iam::111122223333:user/bob";
    List<Incidents.Incident> incidents =
        Incidents.group(
            List.of(
                alert(
                    "a1",
                    "r1",
                    Severity.low,
                    ALICE,
                    "10:00",
                    "10:00",
                    Map.of("userIdentity.accessKeyId", "AKIAEXAMPLE1")),
                alert("a2", "r2", Severity.low, bob, "10:01", "10:01", Map.of()),
                alert(
                    "a3",
                    "r3",
                    Severity.high,
                    bob,
                    "10:20",
                    "10:20",
                    Map.of("userIdentity.accessKeyId", "AKIAEXAMPLE1"))),
            HOUR);
    assertThat(incidents).hasSize(1);
    assertThat(incidents.get(0).id()).isEqualTo("a1");
    assertThat(incidents.get(0).pivots().get("principal")).containsExactly(ALICE, bob);
  }

  private static Alert alert(
      String id,
      String rule,
      Severity severity,
      String entity,
      String first,
      String last,
      Map<String, String> evidence) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setRuleId(rule)
        .setTitle(rule)
        .setSeverity(severity)
        .setAccountId("111122223333")
        .setRegion("us-east-1")
        .setEntity(entity)
        .setFirstSeen("2026-12-04T" + first + ":00Z")
        .setLastSeen("2026-12-04T" + last + ":00Z")
        .setCount(1)
        .setEventIds(List.of())
        .setDedupKey(rule + ":" + id)
        .setEvidence(evidence)
        .setSource(AlertSource.cloudtrail)
        .build();
  }
}
