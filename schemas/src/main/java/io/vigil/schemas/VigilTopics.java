package io.vigil.schemas;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one place that pairs every Vigil topic with its name and serdes (the topics with their values
 * and keys are listed in docs/architecture.md, "Topics and records"). Every topology, publisher and
 * sink takes its topics from here and never spells a topic name or builds a serde itself.
 */
public final class VigilTopics {

  public static final String CLOUDTRAIL = "cloudtrail";
  public static final String VPCFLOW = "vpcflow";
  public static final String ALERTS = "alerts";
  public static final String AGGREGATES = "aggregates";
  public static final String POSTURE = "posture";
  public static final String DLQ = "dlq";
  public static final String CHECKPOINTS = "checkpoints";
  public static final String TRIAGE = "triage";
  public static final String SUPPRESSIONS = "suppressions";

  /** Default topic name per logical name. */
  public static final Map<String, String> DEFAULT_NAMES =
      Map.of(
          CLOUDTRAIL, "vigil.cloudtrail",
          VPCFLOW, "vigil.vpcflow",
          ALERTS, "vigil.alerts",
          AGGREGATES, "vigil.aggregates",
          POSTURE, "vigil.posture",
          DLQ, "vigil.dlq",
          CHECKPOINTS, "vigil.ingest.checkpoints",
          TRIAGE, "vigil.alert-triage",
          SUPPRESSIONS, "vigil.suppressions");

  // Kafka's own rule for legal topic names.
  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private final Topic<String, CloudTrailEvent> cloudtrail;
  private final Topic<String, FlowRecord> vpcflow;
  private final Topic<String, Alert> alerts;
  private final Topic<String, Aggregate> aggregates;
  private final Topic<String, ResourceState> posture;
  private final Topic<String, Rejected> dlq;
  private final Topic<String, IngestCheckpoint> checkpoints;
  private final Topic<String, TriageChange> triage;
  private final Topic<String, Suppression> suppressions;

  private VigilTopics(Map<String, String> names, SerdeFactory serdes) {
    cloudtrail = topic(CLOUDTRAIL, names, CloudTrailEvent.class, serdes, CleanupPolicy.DELETE);
    vpcflow = topic(VPCFLOW, names, FlowRecord.class, serdes, CleanupPolicy.DELETE);
    alerts = topic(ALERTS, names, Alert.class, serdes, CleanupPolicy.COMPACT_DELETE);
    aggregates = topic(AGGREGATES, names, Aggregate.class, serdes, CleanupPolicy.DELETE);
    posture = topic(POSTURE, names, ResourceState.class, serdes, CleanupPolicy.COMPACT);
    dlq = topic(DLQ, names, Rejected.class, serdes, CleanupPolicy.DELETE);
    // Only the latest checkpoint per unit matters, and it must outlive any retention period.
    checkpoints = topic(CHECKPOINTS, names, IngestCheckpoint.class, serdes, CleanupPolicy.COMPACT);
    // Who changed an alert's triage, and when, is an audit trail: never deleted or compacted.
    triage = topic(TRIAGE, names, TriageChange.class, serdes, CleanupPolicy.RETAIN);
    suppressions = topic(SUPPRESSIONS, names, Suppression.class, serdes, CleanupPolicy.RETAIN);
  }

  /** The default topic names with serdes from {@code serdes}. */
  public static VigilTopics defaults(SerdeFactory serdes) {
    return create(Map.of(), serdes);
  }

  /**
   * Topics named by the defaults except where {@code nameOverrides} (keyed by logical name) says
   * otherwise.
   *
   * @throws IllegalArgumentException for an unknown logical name or an illegal topic name
   */
  public static VigilTopics create(Map<String, String> nameOverrides, SerdeFactory serdes) {
    for (Map.Entry<String, String> override : nameOverrides.entrySet()) {
      if (!DEFAULT_NAMES.containsKey(override.getKey())) {
        throw new IllegalArgumentException(
            "unknown logical topic name '"
                + override.getKey()
                + "'; known: "
                + new TreeSet<>(DEFAULT_NAMES.keySet()));
      }
      String name = override.getValue();
      if (!isLegalName(name)) {
        throw new IllegalArgumentException(
            "topic name for '"
                + override.getKey()
                + "' is not a legal Kafka topic name: '"
                + name
                + "'");
      }
    }
    Set<String> distinct = new TreeSet<>();
    for (String logical : DEFAULT_NAMES.keySet()) {
      String name = nameOverrides.getOrDefault(logical, DEFAULT_NAMES.get(logical));
      if (!distinct.add(name)) {
        throw new IllegalArgumentException(
            "topic name '" + name + "' is configured for more than one logical topic");
      }
    }
    return new VigilTopics(nameOverrides, serdes);
  }

  /**
   * Whether {@code name} is a legal Kafka topic name (the configuration checks its topic keys with
   * this).
   */
  public static boolean isLegalName(String name) {
    return name != null
        && LEGAL_NAME.matcher(name).matches()
        && !name.equals(".")
        && !name.equals("..");
  }

  public Topic<String, CloudTrailEvent> cloudtrail() {
    return cloudtrail;
  }

  public Topic<String, FlowRecord> vpcflow() {
    return vpcflow;
  }

  public Topic<String, Alert> alerts() {
    return alerts;
  }

  public Topic<String, Aggregate> aggregates() {
    return aggregates;
  }

  public Topic<String, ResourceState> posture() {
    return posture;
  }

  public Topic<String, Rejected> dlq() {
    return dlq;
  }

  /** Ingest's checkpoints, committed in the same transaction as each unit's records. */
  /** The alerts' triage changes, keyed by alert id. */
  public Topic<String, TriageChange> triage() {
    return triage;
  }

  /** The mutes of alerts, keyed by suppression id. */
  public Topic<String, Suppression> suppressions() {
    return suppressions;
  }

  public Topic<String, IngestCheckpoint> checkpoints() {
    return checkpoints;
  }

  /** Every topic, in data-flow order: inputs, DLQ, ingest checkpoints, outputs. */
  public List<Topic<String, ? extends SpecificRecord>> all() {
    return List.of(
        cloudtrail, vpcflow, dlq, checkpoints, alerts, aggregates, posture, triage, suppressions);
  }

  /**
   * The topic with this logical name.
   *
   * @throws IllegalArgumentException naming the logical name when there is no such topic
   */
  public Topic<String, ? extends SpecificRecord> byLogicalName(String logicalName) {
    return all().stream()
        .filter(t -> t.logicalName().equals(logicalName))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown logical topic name '"
                        + logicalName
                        + "'; known: "
                        + new TreeSet<>(DEFAULT_NAMES.keySet())));
  }

  private static <V extends SpecificRecord> Topic<String, V> topic(
      String logical,
      Map<String, String> names,
      Class<V> type,
      SerdeFactory serdes,
      CleanupPolicy cleanup) {
    String name = names.getOrDefault(logical, DEFAULT_NAMES.get(logical));
    return new Topic<>(
        logical, name, type, serdes.keySerde(), serdes.valueSerde(type, name), cleanup);
  }
}
