package io.vigil.sinks.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import io.vigil.sinks.TestAlerts;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsffRendererTest {

  // The attributes BatchImportFindings rejects a finding without.
  private static final List<String> REQUIRED =
      List.of(
          "SchemaVersion",
          "Id",
          "ProductArn",
          "GeneratorId",
          "AwsAccountId",
          "Types",
          "CreatedAt",
          "UpdatedAt",
          "Severity",
          "Title",
          "Description",
          "Resources");

  private final AsffRenderer renderer = new AsffRenderer();

  @Test
  void findingHasEveryAttributeBatchImportFindingsRequires() {
    JsonNode f = renderer.render(TestAlerts.stopLogging());

    assertThat(REQUIRED).allSatisfy(name -> assertThat(f.has(name)).as(name).isTrue());
    assertThat(f.get("SchemaVersion").asText()).isEqualTo("2018-10-08");
    assertThat(f.get("ProductArn").asText())
        .isEqualTo("arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default");
    assertThat(f.get("GeneratorId").asText()).isEqualTo("aws-cloudtrail-stop-logging");
    assertThat(f.get("AwsAccountId").asText()).isEqualTo("111122223333");
    assertThat(f.get("Types").toString())
        .contains(
            "TTPs/Defense Evasion",
            "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS"
                + " Foundations Benchmark");
    assertThat(f.get("Types"))
        .allSatisfy(t -> assertThat(t.asText().split("/").length).isBetween(1, 3));
    assertThat(f.get("CreatedAt").asText()).isEqualTo("2024-03-05T10:15:30Z");
    assertThat(f.at("/Severity/Label").asText()).isEqualTo("HIGH");
    assertThat(f.get("Title").asText()).isEqualTo("CloudTrail logging stopped");
    assertThat(f.get("Description").asText()).isNotBlank();
    assertThat(f.at("/Resources/0/Type").asText()).isEqualTo("AwsIamUser");
    assertThat(f.at("/Resources/0/Id").asText()).isEqualTo("arn:aws:iam::111122223333:user/alice");
    assertThat(f.at("/Compliance/Status").asText()).isEqualTo("FAILED");
    assertThat(f.at("/Compliance/RelatedRequirements").toString())
        .contains("CIS-AWS 3.1", "HIPAA 164.312(b)");
  }

  @Test
  void updatesOfAnAlertKeepTheFindingId() {
    Alert first = TestAlerts.stopLogging();
    JsonNode a = renderer.render(first);
    JsonNode b = renderer.render(TestAlerts.updated(first, 4));

    assertThat(b.get("Id")).isEqualTo(a.get("Id"));
    assertThat(b.get("CreatedAt")).isEqualTo(a.get("CreatedAt"));
    assertThat(b.get("UpdatedAt").asText()).isGreaterThan(a.get("UpdatedAt").asText());
    assertThat(a.get("Id").asText()).isEqualTo(AsffRenderer.findingId(first));
  }

  @Test
  void severityLabelsCoverEveryLevel() {
    assertThat(SeverityScale.asffLabel(Severity.info)).isEqualTo("INFORMATIONAL");
    assertThat(SeverityScale.asffLabel(Severity.critical)).isEqualTo("CRITICAL");
  }

  @Test
  void alertWithoutAccountUsesTheConfiguredOneOrIsRefused() {
    Alert noAccount =
        Alert.newBuilder(TestAlerts.stopLogging()).setAccountId(null).setRegion(null).build();

    assertThatThrownBy(() -> renderer.render(noAccount)).hasMessageContaining("AwsAccountId");
    JsonNode f = new AsffRenderer(null, "444455556666", "us-west-2").render(noAccount);
    assertThat(f.get("AwsAccountId").asText()).isEqualTo("444455556666");
    assertThat(f.get("ProductArn").asText()).contains("us-west-2:444455556666");
  }

  @Test
  void longTitlesAreCutToSecurityHubLimits() {
    Alert longTitle = Alert.newBuilder(TestAlerts.stopLogging()).setTitle("x".repeat(400)).build();
    assertThat(renderer.render(longTitle).get("Title").asText()).hasSize(256);
  }

  @Test
  void triageStatesAreWorkflowStatusesAndAChangeMovesUpdatedAtWithItsNote() {
    Alert alert = TestAlerts.stopLogging();
    assertThat(renderer.render(alert).at("/Workflow/Status").asText()).isEqualTo("NEW");
    assertThat(workflow(alert, TriageStatus.acknowledged)).isEqualTo("NOTIFIED");
    assertThat(workflow(alert, TriageStatus.resolved)).isEqualTo("RESOLVED");
    assertThat(workflow(alert, TriageStatus.false_positive)).isEqualTo("SUPPRESSED");
    assertThat(workflow(alert, TriageStatus.open)).isEqualTo("NEW");

    TriageChange fp = OcsfRendererTest.change(alert, TriageStatus.false_positive, "x".repeat(600));
    JsonNode f = renderer.render(alert, Finding.triaged(fp, Workflow.UNTRIAGED).workflow());

    assertThat(f.get("Id")).isEqualTo(renderer.render(alert).get("Id"));
    assertThat(f.at("/Workflow/Status").asText()).isEqualTo("SUPPRESSED");
    assertThat(f.get("UpdatedAt").asText()).isEqualTo("2024-03-05T11:00:00.250Z");
    assertThat(f.at("/Note/UpdatedBy").asText()).isEqualTo("alice");
    assertThat(f.at("/Note/Text").asText()).hasSize(512);
  }

  private String workflow(Alert alert, TriageStatus status) {
    return renderer.render(alert, new Workflow(status, "", null)).at("/Workflow/Status").asText();
  }
}
