package io.vigil.reports;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * An audit-ready compliance report for one framework and period: every control Vigil evaluates with
 * its status and evidence, a summary, and the framework's controls Vigil does not evaluate. The
 * renderers ({@link JsonReportRenderer}, {@link HtmlReportRenderer}, {@link PdfReportRenderer}) all
 * render this one model, so the formats cannot disagree. Times are ISO-8601 UTC text, as in alerts.
 *
 * @param framework the framework's id, e.g. {@code cis-aws}
 * @param frameworkName the framework's full name
 * @param frameworkVersion the framework version its control numbers refer to
 * @param from start of the period (inclusive)
 * @param to end of the period (exclusive)
 * @param generatedAt when the report was built
 * @param summary counts of controls by status and of evidence
 * @param controls the controls Vigil evaluates, in the framework's order
 * @param notEvaluated the framework's controls Vigil does not evaluate, with reasons
 */
public record ComplianceReport(
    String framework,
    String frameworkName,
    String frameworkVersion,
    String from,
    String to,
    String generatedAt,
    Summary summary,
    List<ControlResult> controls,
    List<Framework.UncoveredControl> notEvaluated) {

  public ComplianceReport {
    controls = List.copyOf(controls);
    notEvaluated = List.copyOf(notEvaluated);
  }

  /** Status of a control over the report's period. */
  public enum Status {
    /**
     * An alert of the control's rules in the period, or a resource failing one of its posture
     * rules.
     */
    FAILING("failing", "Failing"),
    /** At least one of its rules is enabled and nothing failed in the period. */
    PASSING("passing", "Passing"),
    /** None of its rules is enabled, so Vigil cannot say. */
    NOT_EVALUATED("not_evaluated", "Not evaluated");

    private final String id;
    private final String label;

    Status(String id, String label) {
      this.id = id;
      this.label = label;
    }

    /** The status as JSON writes it. */
    @JsonValue
    public String id() {
      return id;
    }

    /** The status as people read it. */
    public String label() {
      return label;
    }
  }

  /**
   * Counts for the report's summary table.
   *
   * @param controlsEvaluated controls Vigil maps for this framework
   * @param failing controls failing
   * @param passing controls passing
   * @param notEvaluated mapped controls none of whose rules is enabled
   * @param controlsNotCovered framework controls (or areas) outside Vigil's coverage
   * @param alerts distinct alerts cited as evidence
   * @param resources distinct resources cited as evidence
   */
  public record Summary(
      int controlsEvaluated,
      int failing,
      int passing,
      int notEvaluated,
      int controlsNotCovered,
      int alerts,
      int resources) {}

  /**
   * One control's result.
   *
   * @param id the control's number in the framework
   * @param title the control's title
   * @param section the framework citation
   * @param evaluation what Vigil checks for it
   * @param status failing, passing or not evaluated
   * @param rules the rules that evaluate it
   * @param rulesNotEnabled those of its rules not enabled in this deployment
   * @param alerts alerts of its rules in the period
   * @param resources resources currently failing one of its posture rules
   */
  public record ControlResult(
      String id,
      String title,
      String section,
      String evaluation,
      Status status,
      List<String> rules,
      List<String> rulesNotEnabled,
      List<AlertEvidence> alerts,
      List<ResourceEvidence> resources) {

    public ControlResult {
      rules = List.copyOf(rules);
      rulesNotEnabled = List.copyOf(rulesNotEnabled);
      alerts = List.copyOf(alerts);
      resources = List.copyOf(resources);
    }
  }

  /**
   * An alert cited as evidence.
   *
   * @param alertId the alert's id
   * @param ruleId the rule that fired
   * @param title the rule's title
   * @param severity the alert's severity
   * @param entity the principal, address or resource the alert is about
   * @param accountId the AWS account, when known
   * @param region the AWS region, when known
   * @param firstSeen event time of the first matching event
   * @param lastSeen event time of the latest matching event
   * @param count number of matching events
   * @param eventIds CloudTrail eventIDs or flow record references
   */
  public record AlertEvidence(
      String alertId,
      String ruleId,
      String title,
      String severity,
      String entity,
      String accountId,
      String region,
      String firstSeen,
      String lastSeen,
      long count,
      List<String> eventIds) {

    public AlertEvidence {
      eventIds = List.copyOf(eventIds);
    }
  }

  /**
   * A resource cited as evidence: its latest known state fails one of the control's posture rules.
   *
   * @param arn the resource ARN
   * @param resourceType e.g. {@code AWS::S3::Bucket}
   * @param accountId the owning account, when known
   * @param region the region, when known
   * @param failingRule the posture rule it fails
   * @param establishedByEventIds the CloudTrail eventIDs that established the state
   * @param updatedAt event time of the latest change
   */
  public record ResourceEvidence(
      String arn,
      String resourceType,
      String accountId,
      String region,
      String failingRule,
      List<String> establishedByEventIds,
      String updatedAt) {

    public ResourceEvidence {
      establishedByEventIds = List.copyOf(establishedByEventIds);
    }
  }
}
