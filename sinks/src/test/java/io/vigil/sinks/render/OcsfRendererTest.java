package io.vigil.sinks.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import io.vigil.sinks.TestAlerts;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OcsfRendererTest {

  private final OcsfRenderer renderer = new OcsfRenderer("1.2.3");

  @Test
  void detectionFindingHasEveryRequiredAttribute() {
    JsonNode f = renderer.render(TestAlerts.stopLogging());

    assertThat(f.get("class_uid").asInt()).isEqualTo(2004);
    assertThat(f.get("category_uid").asInt()).isEqualTo(2);
    assertThat(f.get("activity_id").asInt()).isEqualTo(1);
    assertThat(f.get("type_uid").asInt()).isEqualTo(200401);
    assertThat(f.get("severity_id").asInt()).isEqualTo(4);
    assertThat(f.get("severity").asText()).isEqualTo("High");
    assertThat(f.get("time").asLong())
        .isEqualTo(Instant.parse("2024-03-05T10:15:30Z").toEpochMilli());
    assertThat(f.at("/metadata/version").asText()).startsWith("1.");
    assertThat(f.at("/metadata/product/name").asText()).isEqualTo("Vigil");
    assertThat(f.at("/metadata/product/vendor_name").asText()).isNotBlank();
    assertThat(f.at("/metadata/product/version").asText()).isEqualTo("1.2.3");
    assertThat(f.at("/finding_info/uid").asText()).contains(TestAlerts.stopLogging().getDedupKey());
    assertThat(f.at("/finding_info/title").asText()).isEqualTo("CloudTrail logging stopped");
    assertThat(f.at("/finding_info/desc").asText()).contains("stopped a CloudTrail trail");
    assertThat(f.at("/finding_info/analytic/uid").asText())
        .isEqualTo("aws-cloudtrail-stop-logging");
    assertThat(f.at("/finding_info/analytic/name").asText())
        .isEqualTo("CloudTrail logging stopped");
    assertThat(f.at("/finding_info/created_time").asLong()).isEqualTo(f.get("time").asLong());
    assertThat(f.at("/finding_info/types").toString()).contains("T1562.008");
    assertThat(f.at("/evidences/0/data/eventName").asText()).isEqualTo("StopLogging");
    assertThat(f.at("/resources/0/uid").asText()).isEqualTo("arn:aws:iam::111122223333:user/alice");
    assertThat(f.at("/resources/0/type").asText()).isEqualTo("AWS IAM User");
    assertThat(f.at("/cloud/provider").asText()).isEqualTo("AWS");
    assertThat(f.at("/cloud/account/uid").asText()).isEqualTo("111122223333");
    assertThat(f.at("/cloud/region").asText()).isEqualTo("eu-west-1");
    assertThat(f.at("/attacks/0/tactic/uid").asText()).isEqualTo("TA0005");
    assertThat(f.at("/attacks/1/technique/uid").asText()).isEqualTo("T1562.008");
    assertThat(f.at("/compliance/standards").toString()).contains("CIS-AWS", "PCI-DSS", "HIPAA");
    assertThat(f.at("/compliance/requirements/0").asText()).isEqualTo("CIS-AWS 3.1");
  }

  @Test
  void updateOfAnAlertIsAnUpdateActivityOfTheSameFinding() {
    Alert first = TestAlerts.stopLogging();
    Alert third = TestAlerts.updated(first, 2);

    JsonNode a = renderer.render(first);
    JsonNode b = renderer.render(third);

    assertThat(b.at("/finding_info/uid")).isEqualTo(a.at("/finding_info/uid"));
    assertThat(b.get("activity_id").asInt()).isEqualTo(2);
    assertThat(b.get("type_uid").asInt()).isEqualTo(200402);
    assertThat(b.at("/finding_info/created_time")).isEqualTo(a.at("/finding_info/created_time"));
    assertThat(b.at("/finding_info/modified_time").asLong())
        .isGreaterThan(a.at("/finding_info/modified_time").asLong());
    assertThat(b.get("count").asLong()).isEqualTo(3);
  }

  @Test
  void severitiesMapOntoOcsfIds() {
    assertThat(SeverityScale.ocsfId(Severity.info)).isEqualTo(1);
    assertThat(SeverityScale.ocsfId(Severity.low)).isEqualTo(2);
    assertThat(SeverityScale.ocsfId(Severity.medium)).isEqualTo(3);
    assertThat(SeverityScale.ocsfId(Severity.critical)).isEqualTo(5);
    assertThat(SeverityScale.ocsfName(Severity.info)).isEqualTo("Informational");
  }

  @Test
  void alertWithoutAccountOrOptionalPartsStillRenders() {
    Alert bare =
        Alert.newBuilder(TestAlerts.stopLogging())
            .setAccountId(null)
            .setRegion(null)
            .setDescription(null)
            .setCompliance(java.util.List.of())
            .setAttack(java.util.List.of())
            .setEvidence(java.util.Map.of())
            .setEntity("198.51.100.7")
            .build();

    JsonNode f = renderer.render(bare);

    assertThat(f.at("/cloud/provider").asText()).isEqualTo("AWS");
    assertThat(f.has("compliance")).isFalse();
    assertThat(f.at("/resources/0/type").asText()).isEqualTo("IP Address");
  }

  @Test
  void anUntriagedAlertIsNewAndEachTriageStateHasItsOcsfStatus() {
    Alert alert = TestAlerts.stopLogging();
    assertThat(renderer.render(alert).get("status").asText()).isEqualTo("New");
    assertThat(renderer.render(alert).at("/unmapped/triage_status").asText()).isEqualTo("open");

    assertThat(status(alert, TriageStatus.open)).isEqualTo("1 New");
    assertThat(status(alert, TriageStatus.acknowledged)).isEqualTo("2 In Progress");
    assertThat(status(alert, TriageStatus.false_positive)).isEqualTo("3 Suppressed");
    assertThat(status(alert, TriageStatus.resolved)).isEqualTo("4 Resolved");
  }

  @Test
  void anAnalystsChangeIsAnUpdateOrACloseOfTheSameFindingWithTheNote() {
    Alert alert = TestAlerts.stopLogging();
    TriageChange ack = change(alert, TriageStatus.acknowledged, "on it <b>now</b>");
    TriageChange resolve = change(alert, TriageStatus.resolved, null);

    JsonNode acked = renderer.render(alert, Finding.triaged(ack, Workflow.UNTRIAGED).workflow());
    JsonNode closed =
        renderer.render(alert, Finding.triaged(resolve, Workflow.UNTRIAGED).workflow());

    assertThat(acked.at("/finding_info/uid"))
        .isEqualTo(renderer.render(alert).at("/finding_info/uid"));
    assertThat(acked.get("activity_name").asText()).isEqualTo("Update");
    assertThat(acked.get("type_uid").asInt()).isEqualTo(200402);
    assertThat(acked.get("status_id").asInt()).isEqualTo(2);
    assertThat(acked.get("comment").asText()).isEqualTo("on it <b>now</b>");
    assertThat(acked.at("/unmapped/triaged_by").asText()).isEqualTo("alice");
    assertThat(acked.at("/finding_info/modified_time").asLong())
        .isEqualTo(Instant.parse(ack.getAt()).toEpochMilli());
    assertThat(acked.at("/metadata/uid").asText())
        .isNotEqualTo(renderer.render(alert).at("/metadata/uid").asText());
    assertThat(closed.get("activity_id").asInt()).isEqualTo(3);
    assertThat(closed.get("type_uid").asInt()).isEqualTo(200403);
    assertThat(closed.get("status").asText()).isEqualTo("Resolved");
    assertThat(closed.has("comment")).isFalse();
  }

  @Test
  void anAssignmentKeepsTheStatusItWasIn() {
    Alert alert = TestAlerts.stopLogging();
    TriageChange assign =
        TriageChange.newBuilder(change(alert, null, null)).setAssignee("bob").build();
    Workflow before = new Workflow(TriageStatus.acknowledged, "", null);

    JsonNode f = renderer.render(alert, Finding.triaged(assign, before).workflow());

    assertThat(f.get("status").asText()).isEqualTo("In Progress");
    assertThat(f.at("/unmapped/assignee").asText()).isEqualTo("bob");
  }

  private String status(Alert alert, TriageStatus status) {
    JsonNode f = renderer.render(alert, new Workflow(status, "", null));
    return f.get("status_id").asInt() + " " + f.get("status").asText();
  }

  static TriageChange change(Alert alert, TriageStatus status, String note) {
    return TriageChange.newBuilder()
        .setAlertId(alert.getAlertId())
        .setDedupKey(alert.getDedupKey())
        .setAt("2024-03-05T11:00:00.250Z")
        .setBy("alice")
        .setStatus(status)
        .setNote(note)
        .setAlertUpdate(alert.getUpdate())
        .setAlert(alert)
        .build();
  }
}
