package io.vigil.streams.detection;

import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.RuleMatch;
import io.vigil.streams.alerts.RuleInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a gap of the decoders (a dead letter with {@link DeadLetters#GAP}: input that could not be
 * read as records, where records may be hidden) into a match of the built-in rule {@value
 * #RULE_ID}, so that a gap an attacker made is a finding of its own and not only a dead letter. The
 * entity is the object (the location without its position), so one object's gaps make one alert per
 * suppression window; the evidence is where, why and how much.
 */
public final class IngestGaps {

  public static final String RULE_ID = "vigil-ingest-gap";

  private static final String RESOURCE = "rules/ingest/" + RULE_ID + ".yml";

  private IngestGaps() {}

  /** Whether the dead letter stands for a gap. */
  public static boolean isGap(Rejected rejected) {
    return rejected != null && "true".equals(rejected.getAttributes().get(DeadLetters.GAP));
  }

  /** The match of a gap dead letter. */
  public static RuleMatch match(Rejected gap) {
    String location = gap.getSourceLocation();
    int hash = location.indexOf('#');
    String object = hash < 0 ? location : location.substring(0, hash);
    Map<String, String> attributes = gap.getAttributes();
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("location", location);
    evidence.put("reason", gap.getReason());
    copy(attributes, DeadLetters.GAP_CAUSE, evidence);
    copy(attributes, DeadLetters.UNREAD_BYTES, evidence);
    copy(attributes, DeadLetters.UNREAD_RECORDS, evidence);
    copy(attributes, "format", evidence);
    return RuleMatch.newBuilder()
        .setRuleId(RULE_ID)
        .setEntity(object)
        .setEventTime(gap.getRejectedAt())
        .setFirstEventTime(gap.getRejectedAt())
        .setEventIds(List.of(location))
        .setCount(1)
        .setEvidence(evidence)
        .setSource("VPC_FLOW_LOG".equals(attributes.get("format")) ? "vpcflow" : "cloudtrail")
        .build();
  }

  /** Copies one attribute of a dead letter into the evidence, when it has it. */
  static void copy(Map<String, String> from, String key, Map<String, String> to) {
    String value = from.get(key);
    if (value != null) {
      to.put(key, value);
    }
  }

  /** The rule's metadata, from its file under {@code rules/ingest/}. */
  public static RuleInfo ruleInfo() {
    return BundledYaml.ruleInfo(RULE_ID, RESOURCE, "built-in rule");
  }
}
