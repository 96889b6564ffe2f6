package io.vigil.streams.posture;

import static io.vigil.streams.posture.PostureAttributes.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.RuleMatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds one {@link StateChange} into a resource's facts, last-writer-wins by event time per fact,
 * and renders the facts as the {@link ResourceState} plus the findings of the rules the change
 * newly breaks. A change older than a fact it would overwrite leaves that fact alone, and a change
 * older than the resource's latest creation or deletion is ignored whole, so that an event that
 * arrives after a later one never rolls the state back. Equal times apply in arrival order:
 * CloudTrail times have one-second resolution, and two calls in one second usually arrive in order.
 *
 * <p>A deletion drops every fact up to its time and a creation every fact before it, so a resource
 * re-created under the same ARN (a bucket name reused) starts from its creation, never from the
 * facts of the resource that had the name before. The lifecycle fact that remains is what rejects
 * late events older than the deletion, for as long as the topology keeps the deleted resource
 * ({@link PostureSettings#deletedRetention()}).
 */
final class PostureFold {

  /** One fact: its value (null once removed), the event time that set it, and that event's id. */
  record Fact(String value, long at, String eventId) {}

  /** The new state of a resource and the findings of the rules it newly fails. */
  record Result(ResourceState state, Map<String, Fact> facts, List<RuleMatch> findings) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Fact>> FACTS = new TypeReference<>() {};

  private PostureFold() {}

  /**
   * Applies {@code change} to the resource's {@code facts} (empty for a resource not seen yet).
   *
   * @return the new state, or empty when the change is older than everything it would touch
   */
  static Optional<Result> apply(
      ResourceState previous,
      Map<String, Fact> facts,
      StateChange change,
      PostureSettings settings) {
    Map<String, Fact> next = new LinkedHashMap<>(facts);
    long t = change.eventTime();
    Fact lifecycle = next.get(StateChange.LIFECYCLE);
    long generation = lifecycle == null ? Long.MIN_VALUE : lifecycle.at();
    boolean wasDeleted = lifecycle != null && StateChange.DELETED.equals(lifecycle.value());
    if (t < generation) {
      return Optional.empty();
    }
    boolean applied = false;
    String newLifecycle = change.facts().get(StateChange.LIFECYCLE);
    if (newLifecycle != null) {
      boolean deleting = newLifecycle.equals(StateChange.DELETED);
      // Facts from before a creation belong to an earlier resource of the same name; a deletion
      // ends every fact set up to and including its second.
      next.values().removeIf(f -> deleting ? f.at() <= t : f.at() < t);
      next.put(StateChange.LIFECYCLE, new Fact(newLifecycle, t, change.eventId()));
      applied = true;
    } else if (wasDeleted && t <= generation) {
      return Optional.empty();
    }
    for (Map.Entry<String, String> fact : change.facts().entrySet()) {
      if (!fact.getKey().equals(StateChange.LIFECYCLE)) {
        applied |= set(next, fact.getKey(), fact.getValue(), t, change.eventId());
      }
    }
    for (String ruleId : change.revokedRuleIds()) {
      Fact known = next.get(StateChange.INGRESS_ID + ruleId);
      if (known != null && known.value() != null) {
        applied |= set(next, StateChange.INGRESS + known.value(), null, t, change.eventId());
      }
    }
    for (Map.Entry<String, String> modified : change.modifiedRules().entrySet()) {
      // Only rule ids Vigil saw authorised as ingress: ModifySecurityGroupRules does not say
      // whether a rule is ingress or egress.
      Fact known = next.get(StateChange.INGRESS_ID + modified.getKey());
      if (known != null && known.value() != null && t >= known.at()) {
        set(next, StateChange.INGRESS + known.value(), null, t, change.eventId());
        set(next, StateChange.INGRESS + modified.getValue(), "present", t, change.eventId());
        set(
            next,
            StateChange.INGRESS_ID + modified.getKey(),
            modified.getValue(),
            t,
            change.eventId());
        applied = true;
      }
    }
    if (!applied) {
      return Optional.empty();
    }
    ResourceState state = render(previous, next, change, settings);
    return Optional.of(new Result(state, next, findings(previous, state, t)));
  }

  private static boolean set(
      Map<String, Fact> facts, String key, String value, long t, String eventId) {
    Fact old = facts.get(key);
    if (old != null && t < old.at()) {
      return false;
    }
    facts.put(key, new Fact(value, t, eventId));
    return true;
  }

  private static ResourceState render(
      ResourceState previous,
      Map<String, Fact> facts,
      StateChange change,
      PostureSettings settings) {
    Map<String, String> attributes = new TreeMap<>();
    Set<IngressRule> ingress = new TreeSet<>(Comparator.comparing(IngressRule::key));
    long updatedAt = Long.MIN_VALUE;
    long lifecycleAt = Long.MIN_VALUE;
    boolean deleted = false;
    for (Map.Entry<String, Fact> entry : facts.entrySet()) {
      String key = entry.getKey();
      Fact fact = entry.getValue();
      updatedAt = Math.max(updatedAt, fact.at());
      if (key.equals(StateChange.LIFECYCLE)) {
        lifecycleAt = fact.at();
        deleted = StateChange.DELETED.equals(fact.value());
      } else if (fact.value() == null || key.startsWith(StateChange.INGRESS_ID)) {
        continue;
      } else if (key.startsWith(StateChange.INGRESS)) {
        IngressRule.fromKey(key.substring(StateChange.INGRESS.length())).ifPresent(ingress::add);
      } else {
        attributes.put(key, fact.value());
      }
    }
    // A fact newer than the deletion means the resource exists again (its creation was not seen).
    if (deleted && updatedAt > lifecycleAt) {
      deleted = false;
    }
    String type = change.resourceType();
    if (type.equals(TYPE_S3_BUCKET)) {
      String bucket = change.arn().substring("arn:aws:s3:::".length());
      boolean policyPublic =
          "true".equals(attributes.get(POLICY_PUBLIC))
              && !"true".equals(attributes.get(RESTRICT_PUBLIC_BUCKETS));
      boolean aclPublic =
          "true".equals(attributes.get(ACL_PUBLIC))
              && !"true".equals(attributes.get(IGNORE_PUBLIC_ACLS));
      attributes.put(PUBLIC, Boolean.toString(policyPublic || aclPublic));
      attributes.put(PHI, Boolean.toString(settings.phiBuckets().contains(bucket)));
    } else if (type.equals(TYPE_SECURITY_GROUP)) {
      ArrayNode rules = JSON.createArrayNode();
      Set<String> open = new TreeSet<>();
      for (IngressRule rule : ingress) {
        rules
            .addObject()
            .put("protocol", rule.protocol())
            .put("ports", rule.ports())
            .put("source", rule.source());
        if (rule.openToWorld()) {
          open.add(rule.portsLabel());
        }
      }
      attributes.put(INGRESS_RULES, rules.toString());
      attributes.put(
          OPEN_TO_WORLD_PORTS,
          JSON.createArrayNode()
              .addAll(open.stream().map(JSON.getNodeFactory()::textNode).toList())
              .toString());
    }
    return ResourceState.newBuilder()
        .setArn(change.arn())
        .setResourceType(type)
        .setAccountId(
            orPrevious(change.accountId(), previous == null ? null : previous.getAccountId()))
        .setRegion(orPrevious(change.region(), previous == null ? null : previous.getRegion()))
        .setAttributes(new LinkedHashMap<>(attributes))
        .setFailingControls(PostureControls.failing(type, attributes, deleted))
        .setEstablishedByEventIds(establishing(facts, settings.maxEventIds()))
        .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
        .setDeleted(deleted)
        .build();
  }

  /** The ids of the events behind the current facts, oldest first, the most recent {@code max}. */
  private static List<String> establishing(Map<String, Fact> facts, int max) {
    List<Fact> ordered = new ArrayList<>(facts.values());
    ordered.sort(Comparator.comparingLong(Fact::at).thenComparing(Fact::eventId));
    Set<String> ids = new LinkedHashSet<>();
    for (int i = ordered.size() - 1; i >= 0 && ids.size() < max; i--) {
      ids.add(ordered.get(i).eventId());
    }
    List<String> out = new ArrayList<>(ids);
    java.util.Collections.reverse(out);
    return out;
  }

  /**
   * The event time of the resource's deletion while its state says deleted; empty while it exists
   * (also when a fact newer than the deletion showed it exists again).
   */
  static OptionalLong deletedAt(ResourceState state, Map<String, Fact> facts) {
    if (state == null || !state.getDeleted()) {
      return OptionalLong.empty();
    }
    Fact lifecycle = facts.get(StateChange.LIFECYCLE);
    return lifecycle == null ? OptionalLong.empty() : OptionalLong.of(lifecycle.at());
  }

  private static List<RuleMatch> findings(
      ResourceState previous, ResourceState state, long eventTime) {
    Set<String> before = previous == null ? Set.of() : new HashSet<>(previous.getFailingControls());
    List<String> breaking = new ArrayList<>(state.getFailingControls());
    if (state.getDeleted() && (previous == null || !previous.getDeleted())) {
      breaking.addAll(PostureControls.brokenByDeletion(state.getResourceType()));
    }
    List<RuleMatch> out = new ArrayList<>();
    for (String ruleId : breaking) {
      if (before.contains(ruleId)) {
        continue;
      }
      Map<String, String> evidence = new LinkedHashMap<>();
      evidence.put("resource_type", state.getResourceType());
      for (String name : PostureControls.evidence(ruleId)) {
        String value = state.getAttributes().get(name);
        if (value != null) {
          evidence.put(name, value);
        }
      }
      if (state.getDeleted()) {
        evidence.put("deleted", "true");
      }
      Instant at = Instant.ofEpochMilli(eventTime);
      out.add(
          RuleMatch.newBuilder()
              .setRuleId(ruleId)
              .setEntity(state.getArn())
              .setAccountId(state.getAccountId())
              .setRegion(state.getRegion())
              .setEventTime(at)
              .setFirstEventTime(at)
              .setEventIds(state.getEstablishedByEventIds())
              .setCount(1)
              .setEvidence(evidence)
              .setSource("posture")
              .build());
    }
    return out;
  }

  private static String orPrevious(String value, String previous) {
    return value == null || value.isEmpty() ? previous : value;
  }

  static String toJson(Map<String, Fact> facts) {
    try {
      return JSON.writeValueAsString(facts);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("posture facts are plain strings and numbers", e);
    }
  }

  static Map<String, Fact> fromJson(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, FACTS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable posture facts in the store", e);
    }
  }
}
