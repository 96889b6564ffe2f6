package io.vigil.sinks.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an alert as an OCSF 1.3 Detection Finding (class_uid 2004, category Findings).
 *
 * <p>The first publication of an alert is activity Create (type_uid 200401), every later update is
 * activity Update (200402) of the same finding: {@code finding_info.uid} is derived from the
 * alert's {@code dedup_key} only, so a SIEM folds the updates into one finding. Analysts' triage
 * changes are further updates of it (see {@link #render(Alert, Workflow)}). Compliance references
 * go to {@code compliance}, MITRE ids to {@code attacks}, Vigil-only fields that OCSF has no place
 * for to {@code unmapped}.
 */
public final class OcsfRenderer {

  /** The OCSF schema version the output follows. */
  public static final String OCSF_VERSION = "1.3.0";

  static final int CLASS_UID = 2004;
  static final int CATEGORY_UID = 2;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String productVersion;

  /**
   * A renderer that reports {@code productVersion} as Vigil's version in {@code metadata.product}.
   */
  public OcsfRenderer(String productVersion) {
    this.productVersion = productVersion;
  }

  /**
   * A renderer that reports the version of the sinks jar (or {@code dev} when run from classes).
   */
  public OcsfRenderer() {
    this(ProductInfo.version());
  }

  /** The stable finding uid of every update of this alert. */
  public static String findingUid(Alert alert) {
    return "vigil:" + alert.getDedupKey();
  }

  /** The finding of an untriaged alert as one line of JSON. */
  public String toJson(Alert alert) {
    return render(alert, Workflow.UNTRIAGED).toString();
  }

  /** The finding as one line of JSON, in its triage state. */
  public String toJson(Alert alert, Workflow workflow) {
    return render(alert, workflow).toString();
  }

  /** The finding of an untriaged alert as a JSON tree. */
  public ObjectNode render(Alert alert) {
    return render(alert, Workflow.UNTRIAGED);
  }

  /**
   * The finding as a JSON tree, in its triage state: {@code status_id} New (open), In Progress
   * (acknowledged), Suppressed (false positive) or Resolved. A rendering of an analyst's change is
   * activity Update, or Close when it resolves the finding or calls it a false positive, with the
   * note as {@code comment}.
   */
  public ObjectNode render(Alert alert, Workflow workflow) {
    Instant firstSeen = AlertTimes.parse("first_seen", alert.getFirstSeen());
    Instant lastSeen = AlertTimes.parse("last_seen", alert.getLastSeen());
    TriageChange change = workflow.change();
    boolean update = alert.getUpdate() > 0 || change != null;
    int activityId = change != null && workflow.closed() ? 3 : update ? 2 : 1;
    String activity = activityId == 3 ? "Close" : update ? "Update" : "Create";

    ObjectNode out = MAPPER.createObjectNode();
    out.put("activity_id", activityId);
    out.put("activity_name", activity);
    out.put("category_uid", CATEGORY_UID);
    out.put("category_name", "Findings");
    out.put("class_uid", CLASS_UID);
    out.put("class_name", "Detection Finding");
    out.put("type_uid", CLASS_UID * 100 + activityId);
    out.put("type_name", "Detection Finding: " + activity);
    out.put("severity_id", SeverityScale.ocsfId(alert.getSeverity()));
    out.put("severity", SeverityScale.ocsfName(alert.getSeverity()));
    out.put("status_id", statusId(workflow.status()));
    out.put("status", statusName(workflow.status()));
    if (change != null && change.getNote() != null && !change.getNote().isEmpty()) {
      out.put("comment", change.getNote());
    }
    // The event time of the finding is the latest matching event: that is what this update reports.
    out.put("time", lastSeen.toEpochMilli());
    out.put("count", alert.getCount());
    out.put("message", alert.getTitle());

    ObjectNode metadata = out.putObject("metadata");
    metadata.put("version", OCSF_VERSION);
    // One uid per event: a triage change is an event of its own beside the alert's publications.
    metadata.put(
        "uid",
        alert.getAlertId()
            + ":"
            + alert.getUpdate()
            + (change == null ? "" : ":triage:" + change.getAt()));
    ObjectNode product = metadata.putObject("product");
    product.put("name", ProductInfo.NAME);
    product.put("vendor_name", ProductInfo.VENDOR);
    product.put("version", productVersion);

    ObjectNode finding = out.putObject("finding_info");
    finding.put("uid", findingUid(alert));
    finding.put("title", alert.getTitle());
    if (alert.getDescription() != null) {
      finding.put("desc", alert.getDescription());
    }
    ArrayNode types = finding.putArray("types");
    types.add(alert.getSource().name());
    alert.getAttack().forEach(types::add);
    finding.put("created_time", firstSeen.toEpochMilli());
    finding.put("first_seen_time", firstSeen.toEpochMilli());
    finding.put(
        "modified_time",
        change == null
            ? lastSeen.toEpochMilli()
            : AlertTimes.parse("at", change.getAt()).toEpochMilli());
    finding.put("last_seen_time", lastSeen.toEpochMilli());
    ObjectNode analytic = finding.putObject("analytic");
    analytic.put("uid", alert.getRuleId());
    analytic.put("name", alert.getTitle());
    analytic.put("type_id", 1);
    analytic.put("type", "Rule");
    ArrayNode related = finding.putArray("related_events");
    alert.getEventIds().forEach(id -> related.addObject().put("uid", id));

    if (!alert.getEvidence().isEmpty()) {
      ObjectNode data = out.putArray("evidences").addObject().putObject("data");
      new TreeMap<>(alert.getEvidence()).forEach(data::put);
    }

    ObjectNode resource = out.putArray("resources").addObject();
    resource.put("uid", alert.getEntity());
    resource.put("name", alert.getEntity());
    resource.put("type", EntityKind.of(alert.getEntity()).ocsfType());
    if (alert.getRegion() != null) {
      resource.put("region", alert.getRegion());
    }

    ObjectNode cloud = out.putObject("cloud");
    cloud.put("provider", "AWS");
    if (alert.getRegion() != null) {
      cloud.put("region", alert.getRegion());
    }
    if (alert.getAccountId() != null) {
      ObjectNode account = cloud.putObject("account");
      account.put("uid", alert.getAccountId());
      account.put("type_id", 10);
      account.put("type", "AWS Account");
    }

    if (!alert.getAttack().isEmpty()) {
      ArrayNode attacks = out.putArray("attacks");
      for (String id : alert.getAttack()) {
        ObjectNode attack = attacks.addObject();
        // Tactics (TA00nn) and techniques (T1234, T1234.001) sit in different OCSF objects.
        if (id.startsWith("TA")) {
          attack.putObject("tactic").put("uid", id);
        } else {
          attack.putObject("technique").put("uid", id);
        }
      }
    }

    if (!alert.getCompliance().isEmpty()) {
      ObjectNode compliance = out.putObject("compliance");
      ArrayNode standards = compliance.putArray("standards");
      Map<String, Boolean> seen = new TreeMap<>();
      for (String ref : alert.getCompliance()) {
        String standard = ComplianceRef.standard(ref);
        if (seen.put(standard, Boolean.TRUE) == null) {
          standards.add(standard);
        }
      }
      ArrayNode requirements = compliance.putArray("requirements");
      alert.getCompliance().forEach(requirements::add);
      compliance.put("status_id", 3);
      compliance.put("status", "Fail");
    }

    ObjectNode unmapped = out.putObject("unmapped");
    unmapped.put("alert_id", alert.getAlertId());
    unmapped.put("dedup_key", alert.getDedupKey());
    unmapped.put("update", alert.getUpdate());
    unmapped.put("entity", alert.getEntity());
    unmapped.put("source", alert.getSource().name());
    if (alert.getRuleAuthor() != null) {
      unmapped.put("rule_author", alert.getRuleAuthor());
    }
    unmapped.put("triage_status", workflow.status().name());
    if (!workflow.assignee().isEmpty()) {
      unmapped.put("assignee", workflow.assignee());
    }
    if (change != null) {
      unmapped.put("triaged_by", change.getBy());
      unmapped.put("triaged_at", change.getAt());
    }
    return out;
  }

  /** OCSF's finding status for a triage status. */
  static int statusId(TriageStatus status) {
    return switch (status) {
      case open -> 1;
      case acknowledged -> 2;
      case false_positive -> 3;
      case resolved -> 4;
    };
  }

  private static String statusName(TriageStatus status) {
    return switch (status) {
      case open -> "New";
      case acknowledged -> "In Progress";
      case false_positive -> "Suppressed";
      case resolved -> "Resolved";
    };
  }
}
