package io.vigil.streams.detection;

import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.RuleMatch;
import io.vigil.streams.alerts.RuleInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a log file a CloudTrail digest listed and that was never ingested (a dead letter with
 * {@link DeadLetters#MISSING_LOG_FILE}, written by the S3 ingest's digest reconciliation) into a
 * match of the built-in rule {@value #RULE_ID}: a deleted log file is how an attacker with access
 * to the bucket hides what it recorded, and a file never read is events nobody detected on. The
 * entity is the file; the evidence its digest and whether the object was still in its bucket.
 */
public final class MissingLogFiles {

  public static final String RULE_ID = "vigil-log-file-missing";

  private static final String RESOURCE = "rules/ingest/" + RULE_ID + ".yml";

  private MissingLogFiles() {}

  /** Whether the dead letter stands for a missing log file. */
  public static boolean isMissing(Rejected rejected) {
    return rejected != null
        && "true".equals(rejected.getAttributes().get(DeadLetters.MISSING_LOG_FILE));
  }

  /** The match of a missing log file's dead letter. */
  public static RuleMatch match(Rejected missing) {
    String file = missing.getSourceLocation();
    Map<String, String> attributes = missing.getAttributes();
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("log_file", file);
    IngestGaps.copy(attributes, DeadLetters.OBJECT_STATE, evidence);
    IngestGaps.copy(attributes, DeadLetters.DIGEST, evidence);
    IngestGaps.copy(attributes, DeadLetters.DIGEST_END, evidence);
    if (!"deleted".equals(attributes.get(DeadLetters.OBJECT_STATE))) {
      evidence.put("fetch_with", "vigil ingest " + file);
    }
    return RuleMatch.newBuilder()
        .setRuleId(RULE_ID)
        .setEntity(file)
        .setAccountId(attributes.get("account_id"))
        .setRegion(attributes.get("region"))
        .setEventTime(missing.getRejectedAt())
        .setFirstEventTime(missing.getRejectedAt())
        .setEventIds(List.of(file))
        .setCount(1)
        .setEvidence(evidence)
        .setSource("cloudtrail")
        .build();
  }

  /** The rule's metadata, from its file under {@code rules/ingest/}. */
  public static RuleInfo ruleInfo() {
    return BundledYaml.ruleInfo(RULE_ID, RESOURCE, "built-in rule");
  }
}
