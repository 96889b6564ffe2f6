package io.vigil.streams.posture;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one CloudTrail event says about one resource: facts to set (a null value removes the fact,
 * and the removal itself is remembered with its time), and for security groups the rule ids revoked
 * or modified. Applied by {@link PostureFold} last-writer-wins per fact.
 */
record StateChange(
    String arn,
    String resourceType,
    String accountId,
    String region,
    String eventId,
    long eventTime,
    Map<String, String> facts,
    List<String> revokedRuleIds,
    Map<String, String> modifiedRules) {

  /** Fact key of the resource's lifecycle: {@link #CREATED} or {@link #DELETED}. */
  static final String LIFECYCLE = "lifecycle";

  static final String CREATED = "created";
  static final String DELETED = "deleted";

  /** Fact key prefix of an ingress rule (value {@code present}, or removed). */
  static final String INGRESS = "ingress:";

  /** Fact key prefix of a security group rule id (value: the rule's key). */
  static final String INGRESS_ID = "ingress-id:";

  StateChange {
    // Null values are removals, which Map.copyOf would reject.
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    revokedRuleIds = List.copyOf(revokedRuleIds);
    modifiedRules = Map.copyOf(modifiedRules);
  }

  static StateChange of(
      String arn,
      String type,
      String account,
      String region,
      String eventId,
      long eventTime,
      Map<String, String> facts) {
    return new StateChange(
        arn, type, account, region, eventId, eventTime, facts, List.of(), Map.of());
  }
}
