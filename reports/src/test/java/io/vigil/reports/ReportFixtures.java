package io.vigil.reports;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A fixed stream of alerts and resource states over one day, shared by the report tests. */
final class ReportFixtures {

  static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant TO = Instant.parse("2026-11-02T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-03T08:00:00Z"), ZoneOffset.UTC);

  /** Rules switched off in the fixture deployment, so that their controls are not evaluated. */
  static final Set<String> DISABLED = Set.of("aws-vpc-change", "vpc-data-exfiltration");

  private ReportFixtures() {}

  /** Every rule any shipped framework maps, minus {@link #DISABLED}. */
  static Set<String> enabledRules() {
    Set<String> rules = new TreeSet<>();
    Framework.all().forEach(f -> f.controls().forEach(c -> rules.addAll(c.rules())));
    rules.removeAll(DISABLED);
    return rules;
  }

  static ComplianceReportBuilder builder() {
    return new ComplianceReportBuilder(enabledRules(), CLOCK);
  }

  static List<Alert> alerts() {
    return List.of(
        // Root used in the period; published twice as it grew, the report must cite the latest.
        alert(
            "a-root",
            "aws-root-account-usage",
            "arn:aws:iam::111122223333:root",
            "2026-11-01T09:00:00Z",
            "2026-11-01T09:05:00Z",
            2,
            List.of("ev-root-1", "ev-root-2"),
            0),
        alert(
            "a-root",
            "aws-root-account-usage",
            "arn:aws:iam::111122223333:root",
            "2026-11-01T09:00:00Z",
            "2026-11-01T09:20:00Z",
            3,
            List.of("ev-root-1", "ev-root-2", "ev-root-3"),
            1),
        // A PHI read by an unlisted principal, with text an HTML page must escape.
        alert(
            "a-phi",
            "aws-phi-bucket-access",
            "arn:aws:sts::111122223333:assumed-role/<script>x</script>&co",
            "2026-11-01T13:00:00Z",
            "2026-11-01T13:00:00Z",
            1,
            List.of("ev-phi-1"),
            0),
        // An IAM policy change the day before: outside the period, so 4.4 passes.
        alert(
            "a-iam",
            "aws-iam-policy-change",
            "arn:aws:iam::111122223333:user/ops",
            "2026-10-31T10:00:00Z",
            "2026-10-31T10:00:00Z",
            1,
            List.of("ev-iam-1"),
            0),
        // Started before the period and still running into it: it counts.
        alert(
            "a-scan",
            "vpc-port-scan",
            "203.0.113.9",
            "2026-10-31T23:58:00Z",
            "2026-11-01T00:03:00Z",
            40,
            List.of("flow-1", "flow-2"),
            0));
  }

  static List<ResourceState> posture() {
    return List.of(
        state(
            "arn:aws:s3:::public-bucket",
            "AWS::S3::Bucket",
            List.of("posture-s3-bucket-public"),
            List.of("ev-acl-1"),
            "2026-10-20T08:00:00Z",
            false),
        state(
            "arn:aws:s3:::plain-bucket",
            "AWS::S3::Bucket",
            List.of("posture-s3-bucket-unencrypted"),
            List.of("ev-enc-1"),
            "2026-11-01T15:00:00Z",
            false),
        // Deleted: it fails nothing any more.
        state(
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/old",
            "AWS::CloudTrail::Trail",
            List.of("posture-cloudtrail-log-validation-disabled"),
            List.of("ev-trail-1"),
            "2026-11-01T02:00:00Z",
            true),
        // Changed after the period: the latest state says nothing about the period.
        state(
            "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1",
            "AWS::EC2::SecurityGroup",
            List.of("posture-security-group-open-to-world"),
            List.of("ev-sg-1"),
            "2026-11-02T12:00:00Z",
            false),
        state(
            "arn:aws:s3:::fine-bucket",
            "AWS::S3::Bucket",
            List.of(),
            List.of("ev-fine-1"),
            "2026-11-01T01:00:00Z",
            false));
  }

  static Alert alert(
      String id,
      String rule,
      String entity,
      String first,
      String last,
      long count,
      List<String> eventIds,
      int update) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setRuleId(rule)
        .setTitle("Title of " + rule)
        .setSeverity(Severity.high)
        .setAccountId("111122223333")
        .setRegion("us-east-1")
        .setEntity(entity)
        .setFirstSeen(first)
        .setLastSeen(last)
        .setCount(count)
        .setEventIds(eventIds)
        .setDedupKey(rule + "|" + entity)
        .setUpdate(update)
        .setSource(rule.startsWith("vpc-") ? AlertSource.vpcflow : AlertSource.cloudtrail)
        .build();
  }

  static ResourceState state(
      String arn,
      String type,
      List<String> failing,
      List<String> eventIds,
      String updatedAt,
      boolean deleted) {
    return ResourceState.newBuilder()
        .setArn(arn)
        .setResourceType(type)
        .setAccountId("111122223333")
        .setRegion("us-east-1")
        .setFailingControls(failing)
        .setEstablishedByEventIds(eventIds)
        .setUpdatedAt(Instant.parse(updatedAt))
        .setDeleted(deleted)
        .build();
  }

  static ComplianceReport report(String framework) {
    return builder().build(Framework.load(framework), FROM, TO, alerts(), posture());
  }
}
