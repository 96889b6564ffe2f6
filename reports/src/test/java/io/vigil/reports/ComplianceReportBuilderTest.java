package io.vigil.reports;

import static io.vigil.reports.ComplianceReport.Status.FAILING;
import static io.vigil.reports.ComplianceReport.Status.NOT_EVALUATED;
import static io.vigil.reports.ComplianceReport.Status.PASSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.reports.ComplianceReport.ControlResult;
import io.vigil.reports.ComplianceReport.Status;
import io.vigil.schemas.ResourceState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComplianceReportBuilderTest {

  private static Map<String, Status> statuses(ComplianceReport report) {
    Map<String, Status> out = new LinkedHashMap<>();
    report.controls().forEach(c -> out.put(c.id(), c.status()));
    return out;
  }

  private static ControlResult control(ComplianceReport report, String id) {
    return report.controls().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void cisAwsStatusesFollowAlertsPostureAndEnabledRules() {
    ComplianceReport report = ReportFixtures.report("cis-aws");
    Map<String, Status> statuses = statuses(report);

    assertThat(statuses)
        .containsEntry("1.7", FAILING)
        .containsEntry("4.3", FAILING)
        .containsEntry("2.1.5", FAILING)
        .containsEntry("2.1.1", FAILING)
        // Outside the period, deleted, or changed after the period: nothing failed.
        .containsEntry("4.4", PASSING)
        .containsEntry("3.2", PASSING)
        .containsEntry("5.3", PASSING)
        .containsEntry("5.2", PASSING)
        .containsEntry("4.14", NOT_EVALUATED);
    assertThat(
            statuses.entrySet().stream()
                .filter(e -> e.getValue() == FAILING)
                .map(Map.Entry::getKey))
        .containsExactlyInAnyOrder("1.7", "4.3", "2.1.5", "2.1.1");
    assertThat(report.summary()).isEqualTo(new ComplianceReport.Summary(24, 4, 19, 1, 36, 1, 2));
    assertThat(report.notEvaluated())
        .extracting(Framework.UncoveredControl::id)
        .contains("1.1", "5.5");
    assertThat(report.from()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(report.generatedAt()).isEqualTo("2026-11-03T08:00:00Z");
  }

  @Test
  void evidenceCitesTheLatestAlertUpdateAndTheResourceState() {
    ComplianceReport report = ReportFixtures.report("cis-aws");

    ControlResult root = control(report, "4.3");
    assertThat(root.alerts())
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.ruleId()).isEqualTo("aws-root-account-usage");
              assertThat(alert.entity()).isEqualTo("arn:aws:iam::111122223333:root");
              assertThat(alert.accountId()).isEqualTo("111122223333");
              assertThat(alert.count()).isEqualTo(3);
              assertThat(alert.lastSeen()).isEqualTo("2026-11-01T09:20:00Z");
              assertThat(alert.eventIds()).containsExactly("ev-root-1", "ev-root-2", "ev-root-3");
            });
    ControlResult publicBuckets = control(report, "2.1.5");
    assertThat(publicBuckets.alerts()).isEmpty();
    assertThat(publicBuckets.resources())
        .singleElement()
        .satisfies(
            resource -> {
              assertThat(resource.arn()).isEqualTo("arn:aws:s3:::public-bucket");
              assertThat(resource.failingRule()).isEqualTo("posture-s3-bucket-public");
              assertThat(resource.establishedByEventIds()).containsExactly("ev-acl-1");
              assertThat(resource.updatedAt()).isEqualTo("2026-10-20T08:00:00Z");
            });
    assertThat(control(report, "4.14").rulesNotEnabled()).containsExactly("aws-vpc-change");
  }

  @Test
  void hipaaStatuses() {
    ComplianceReport report = ReportFixtures.report("hipaa");

    assertThat(statuses(report))
        .containsExactly(
            Map.entry("164.308(a)(1)(ii)(D)", FAILING),
            Map.entry("164.308(a)(4)", PASSING),
            Map.entry("164.312(a)(1)", FAILING),
            Map.entry("164.312(a)(2)(iv)", FAILING),
            Map.entry("164.312(b)", FAILING),
            Map.entry("164.312(c)(1)", PASSING),
            Map.entry("164.312(d)", PASSING),
            Map.entry("164.312(e)(1)", NOT_EVALUATED));
    assertThat(control(report, "164.312(b)").alerts())
        .extracting(a -> a.alertId())
        .containsExactly("a-phi");
    assertThat(control(report, "164.312(a)(2)(iv)").resources())
        .extracting(r -> r.arn())
        .containsExactly("arn:aws:s3:::plain-bucket");
    assertThat(report.summary().failing()).isEqualTo(4);
    assertThat(report.summary().notEvaluated()).isEqualTo(1);
  }

  @Test
  void aTombstoneAmongThePostureIsAResourceThatIsGone() {
    List<ResourceState> withTombstone = new ArrayList<>(ReportFixtures.posture());
    withTombstone.add(null);

    ComplianceReport report =
        ReportFixtures.builder()
            .build(
                Framework.load("cis-aws"),
                ReportFixtures.FROM,
                ReportFixtures.TO,
                ReportFixtures.alerts(),
                withTombstone);

    assertThat(report.controls()).isEqualTo(ReportFixtures.report("cis-aws").controls());
  }

  @Test
  void alertsOverlappingThePeriodStartCount() {
    ComplianceReport report = ReportFixtures.report("pci-dss");

    assertThat(control(report, "11.5.1").status()).isEqualTo(FAILING);
    assertThat(control(report, "11.5.1").alerts())
        .extracting(a -> a.alertId())
        .containsExactly("a-scan");
  }

  @Test
  void nothingEnabledMeansNothingEvaluatedAndEvidenceStillCounts() {
    ComplianceReport report =
        new ComplianceReportBuilder(List.of(), ReportFixtures.CLOCK)
            .build(
                Framework.load("cis-aws"),
                ReportFixtures.FROM,
                ReportFixtures.TO,
                ReportFixtures.alerts(),
                ReportFixtures.posture());

    assertThat(control(report, "4.4").status()).isEqualTo(NOT_EVALUATED);
    // The root user was used whatever the configuration says now.
    assertThat(control(report, "4.3").status()).isEqualTo(FAILING);
  }

  @Test
  void aPeriodThatEndsBeforeItStartsIsRejected() {
    assertThatThrownBy(
            () ->
                ReportFixtures.builder()
                    .build(
                        Framework.load("gdpr"),
                        ReportFixtures.TO,
                        ReportFixtures.FROM,
                        List.of(),
                        List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonCarriesStatusesAndEvidenceInSnakeCase() throws Exception {
    String json = new JsonReportRenderer().toJson(ReportFixtures.report("hipaa"));

    assertThat(json)
        .contains(
            "\"framework\" : \"hipaa\"",
            "\"status\" : \"failing\"",
            "\"status\" : \"not_evaluated\"",
            "\"established_by_event_ids\"",
            "\"ev-phi-1\"",
            "\"rules_not_enabled\" : [ \"vpc-data-exfiltration\" ]",
            "\"not_evaluated\" : [");
  }
}
