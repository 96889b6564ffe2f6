package io.vigil.sinks.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders an alert as an AWS Security Finding Format (ASFF, schema 2018-10-08) finding with every
 * field Security Hub's {@code BatchImportFindings} requires: SchemaVersion, Id, ProductArn,
 * GeneratorId, AwsAccountId, Types, CreatedAt, UpdatedAt, Severity, Title, Description, Resources.
 *
 * <p>{@code Id} depends on the alert's {@code dedup_key} only, so that an update of an alert
 * updates the same Security Hub finding instead of creating another one. The product ARN is the
 * account's own "default" custom-integration product unless one is configured.
 */
public final class AsffRenderer {

  /** The only ASFF schema version there is. */
  public static final String SCHEMA_VERSION = "2018-10-08";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  // Security Hub's limits; longer values make BatchImportFindings reject the finding.
  private static final int MAX_ID = 512;
  private static final int MAX_TITLE = 256;
  private static final int MAX_DESCRIPTION = 1024;
  private static final int MAX_REQUIREMENTS = 32;
  private static final int MAX_PRODUCT_FIELDS_VALUE = 4096;
  private static final int MAX_NOTE = 512;
  private static final int MAX_NOTE_BY = 512;

  private static final Map<String, String> TACTICS =
      Map.ofEntries(
          Map.entry("TA0001", "TTPs/Initial Access"),
          Map.entry("TA0002", "TTPs/Execution"),
          Map.entry("TA0003", "TTPs/Persistence"),
          Map.entry("TA0004", "TTPs/Privilege Escalation"),
          Map.entry("TA0005", "TTPs/Defense Evasion"),
          Map.entry("TA0006", "TTPs/Credential Access"),
          Map.entry("TA0007", "TTPs/Discovery"),
          Map.entry("TA0008", "TTPs/Lateral Movement"),
          Map.entry("TA0009", "TTPs/Collection"),
          Map.entry("TA0011", "TTPs/Command and Control"),
          Map.entry("TA0010", "Effects/Data Exfiltration"),
          Map.entry("TA0040", "Effects/Resource Consumption"));

  private static final Map<String, String> STANDARDS =
      Map.of(
          "CIS-AWS", "CIS AWS Foundations Benchmark",
          "PCI-DSS", "PCI-DSS",
          "HIPAA", "HIPAA Controls (USA)",
          "SOC2", "SOC 2",
          "GDPR", "GDPR Controls (Europe)");

  private final String productArn;
  private final String defaultAccountId;
  private final String defaultRegion;

  /**
   * @param productArn the Security Hub product ARN, or {@code null} for the importing account's
   *     {@code default} product in the alert's region
   * @param defaultAccountId the account for alerts that carry none, or {@code null}
   * @param defaultRegion the region for alerts that carry none, or {@code null} (then us-east-1)
   */
  public AsffRenderer(String productArn, String defaultAccountId, String defaultRegion) {
    if (defaultAccountId != null && !ACCOUNT.matcher(defaultAccountId).matches()) {
      throw new IllegalArgumentException("aws_account_id must be 12 digits");
    }
    this.productArn = productArn;
    this.defaultAccountId = defaultAccountId;
    this.defaultRegion = defaultRegion;
  }

  /** A renderer without defaults: every alert must carry its account. */
  public AsffRenderer() {
    this(null, null, null);
  }

  /** The stable finding id of every update of this alert. */
  public static String findingId(Alert alert) {
    String id = "vigil/" + alert.getDedupKey();
    if (id.length() <= MAX_ID) {
      return id;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(alert.getDedupKey().getBytes(StandardCharsets.UTF_8));
      return "vigil/sha256/" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
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
   * The finding as a JSON tree, in its triage state: {@code Workflow.Status} NEW (open), NOTIFIED
   * (acknowledged), RESOLVED or SUPPRESSED (false positive). A rendering of an analyst's change is
   * updated at the change's time and carries its note as {@code Note}.
   *
   * @throws IllegalArgumentException when the alert has no usable account id and none is configured
   */
  public ObjectNode render(Alert alert, Workflow workflow) {
    Instant firstSeen = AlertTimes.parse("first_seen", alert.getFirstSeen());
    Instant lastSeen = AlertTimes.parse("last_seen", alert.getLastSeen());
    String account =
        alert.getAccountId() != null && ACCOUNT.matcher(alert.getAccountId()).matches()
            ? alert.getAccountId()
            : defaultAccountId;
    if (account == null) {
      throw new IllegalArgumentException(
          "ASFF needs a 12-digit AwsAccountId: the alert has "
              + (alert.getAccountId() == null ? "none" : "'" + alert.getAccountId() + "'")
              + " and no aws_account_id is configured");
    }
    String region =
        alert.getRegion() != null
            ? alert.getRegion()
            : defaultRegion != null ? defaultRegion : "us-east-1";

    ObjectNode out = MAPPER.createObjectNode();
    out.put("SchemaVersion", SCHEMA_VERSION);
    out.put("Id", findingId(alert));
    out.put(
        "ProductArn",
        productArn != null
            ? productArn
            : "arn:aws:securityhub:" + region + ":" + account + ":product/" + account + "/default");
    out.put("ProductName", ProductInfo.NAME);
    out.put("CompanyName", ProductInfo.VENDOR);
    out.put("Region", region);
    out.put("GeneratorId", alert.getRuleId());
    out.put("AwsAccountId", account);
    ArrayNode types = out.putArray("Types");
    types(alert).forEach(types::add);
    out.put("FirstObservedAt", iso(firstSeen));
    out.put("LastObservedAt", iso(lastSeen));
    out.put("CreatedAt", iso(firstSeen));
    TriageChange change = workflow.change();
    // Security Hub keeps an update only when UpdatedAt moves on: a change is later than the alert.
    Instant updatedAt = lastSeen;
    if (change != null) {
      Instant at = AlertTimes.parse("at", change.getAt());
      updatedAt = at.isAfter(lastSeen) ? at : lastSeen;
    }
    out.put("UpdatedAt", iso(updatedAt));
    ObjectNode severity = out.putObject("Severity");
    severity.put("Label", SeverityScale.asffLabel(alert.getSeverity()));
    severity.put("Original", alert.getSeverity().name());
    out.put("Title", bounded(alert.getTitle(), MAX_TITLE));
    String description =
        alert.getDescription() == null || alert.getDescription().isBlank()
            ? alert.getTitle()
            : alert.getDescription();
    out.put("Description", bounded(description, MAX_DESCRIPTION));

    ObjectNode resource = out.putArray("Resources").addObject();
    resource.put("Type", EntityKind.of(alert.getEntity()).asffType());
    resource.put("Id", alert.getEntity());
    resource.put("Partition", partition(region));
    resource.put("Region", region);

    if (!alert.getCompliance().isEmpty()) {
      ObjectNode compliance = out.putObject("Compliance");
      compliance.put("Status", "FAILED");
      ArrayNode requirements = compliance.putArray("RelatedRequirements");
      alert.getCompliance().stream().limit(MAX_REQUIREMENTS).forEach(requirements::add);
    }

    ObjectNode fields = out.putObject("ProductFields");
    fields.put("vigil/rule_id", alert.getRuleId());
    fields.put("vigil/entity", bounded(alert.getEntity(), MAX_PRODUCT_FIELDS_VALUE));
    fields.put("vigil/count", Long.toString(alert.getCount()));
    fields.put("vigil/update", Integer.toString(alert.getUpdate()));
    fields.put("vigil/dedup_key", bounded(alert.getDedupKey(), MAX_PRODUCT_FIELDS_VALUE));
    if (!alert.getAttack().isEmpty()) {
      fields.put("vigil/attack", String.join(",", alert.getAttack()));
    }
    new TreeMap<>(alert.getEvidence())
        .forEach((k, v) -> fields.put("vigil/evidence/" + k, bounded(v, MAX_PRODUCT_FIELDS_VALUE)));

    if (!workflow.assignee().isEmpty()) {
      fields.put("vigil/assignee", bounded(workflow.assignee(), MAX_PRODUCT_FIELDS_VALUE));
    }

    out.put("RecordState", "ACTIVE");
    out.putObject("Workflow").put("Status", workflowStatus(workflow.status()));
    if (change != null && change.getNote() != null && !change.getNote().isEmpty()) {
      ObjectNode note = out.putObject("Note");
      note.put("Text", bounded(change.getNote(), MAX_NOTE));
      note.put("UpdatedBy", bounded(change.getBy(), MAX_NOTE_BY));
      note.put("UpdatedAt", iso(updatedAt));
    }
    return out;
  }

  /** ASFF's workflow status for a triage status. */
  static String workflowStatus(TriageStatus status) {
    return switch (status) {
      case open -> "NEW";
      case acknowledged -> "NOTIFIED";
      case resolved -> "RESOLVED";
      case false_positive -> "SUPPRESSED";
    };
  }

  private static Set<String> types(Alert alert) {
    Set<String> types = new LinkedHashSet<>();
    for (String id : alert.getAttack()) {
      if (TACTICS.containsKey(id)) {
        types.add(TACTICS.get(id));
      }
    }
    for (String ref : alert.getCompliance()) {
      String standard = STANDARDS.get(ComplianceRef.standard(ref));
      if (standard != null) {
        types.add(
            "Software and Configuration Checks/Industry and Regulatory Standards/" + standard);
      }
    }
    if (types.isEmpty()) {
      types.add(
          alert.getSource() == AlertSource.posture
              ? "Software and Configuration Checks/AWS Security Best Practices"
              : alert.getSource() == AlertSource.vpcflow
                  ? "Unusual Behaviors/Network Flow"
                  : "Unusual Behaviors/User");
    }
    return types;
  }

  private static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  private static String iso(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  private static String bounded(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max - 3) + "...";
  }
}
