package io.vigil.streams.posture;

import static io.vigil.streams.posture.PostureAttributes.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.CloudTrailResource;
import io.vigil.streams.aws.BucketPolicyExposure;
import io.vigil.streams.aws.CloudTrailJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a successful CloudTrail management event says about the state of the resources Vigil
 * tracks. Pure and deterministic: the topology calls it before the repartition (to key by ARN and
 * drop everything else) and again after it, rather than shipping a change type of its own through a
 * repartition topic.
 */
final class PostureChanges {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The event names that can change tracked state; everything else is dropped before the
   * repartition.
   */
  static final Set<String> TRACKED =
      Set.of(
          "CreateBucket",
          "DeleteBucket",
          "PutBucketPublicAccessBlock",
          "DeleteBucketPublicAccessBlock",
          "PutBucketPolicy",
          "DeleteBucketPolicy",
          "PutBucketAcl",
          "PutBucketEncryption",
          "DeleteBucketEncryption",
          "PutBucketVersioning",
          "PutBucketLogging",
          "CreateSecurityGroup",
          "DeleteSecurityGroup",
          "AuthorizeSecurityGroupIngress",
          "RevokeSecurityGroupIngress",
          "ModifySecurityGroupRules",
          "CreateTrail",
          "UpdateTrail",
          "DeleteTrail",
          "StartLogging",
          "StopLogging",
          "CreateDetector",
          "UpdateDetector",
          "DeleteDetector",
          "EnableSecurityHub",
          "DisableSecurityHub",
          "StartConfigurationRecorder",
          "StopConfigurationRecorder",
          "DeleteConfigurationRecorder",
          "EnableKey",
          "DisableKey",
          "ScheduleKeyDeletion",
          "CancelKeyDeletion",
          "DeleteKey");

  private static final Set<String> PUBLIC_CANNED_ACLS =
      Set.of("public-read", "public-read-write", "authenticated-read");

  private PostureChanges() {}

  /** Whether the event may change tracked state: successful, a management event, a tracked name. */
  static boolean tracked(CloudTrailEvent event) {
    return event != null
        && event.getErrorCode() == null
        && !Boolean.FALSE.equals(event.getManagementEvent())
        && TRACKED.contains(event.getEventName());
  }

  /** The state changes this event makes, one per resource; empty when it says nothing usable. */
  static List<StateChange> of(CloudTrailEvent event) {
    if (!tracked(event)) {
      return List.of();
    }
    Context c = new Context(event);
    StateChange change =
        switch (c.source()) {
          case "s3" -> bucket(c);
          case "ec2" -> securityGroup(c);
          case "cloudtrail" -> trail(c);
          case "guardduty" -> detector(c);
          case "securityhub" -> hub(c);
          case "config" -> recorder(c);
          case "kms" -> key(c);
          default -> null;
        };
    return change == null ? List.of() : List.of(change);
  }

  // S3 ------------------------------------------------------------------------------------------

  private static StateChange bucket(Context c) {
    String bucket = c.request().path("bucketName").asText("");
    if (bucket.isEmpty()) {
      return null;
    }
    JsonNode rp = c.request();
    Map<String, String> facts = new LinkedHashMap<>();
    switch (c.name()) {
      case "CreateBucket" -> {
        facts.put(StateChange.LIFECYCLE, StateChange.CREATED);
        String canned = text(rp.path("x-amz-acl"));
        if (canned != null) {
          facts.put(ACL_PUBLIC, Boolean.toString(PUBLIC_CANNED_ACLS.contains(canned)));
        }
      }
      case "DeleteBucket" -> facts.put(StateChange.LIFECYCLE, StateChange.DELETED);
      case "PutBucketPublicAccessBlock" -> {
        JsonNode config = rp.path("PublicAccessBlockConfiguration");
        putFlag(facts, BLOCK_PUBLIC_ACLS, config.path("BlockPublicAcls"));
        putFlag(facts, IGNORE_PUBLIC_ACLS, config.path("IgnorePublicAcls"));
        putFlag(facts, BLOCK_PUBLIC_POLICY, config.path("BlockPublicPolicy"));
        putFlag(facts, RESTRICT_PUBLIC_BUCKETS, config.path("RestrictPublicBuckets"));
      }
      case "DeleteBucketPublicAccessBlock" -> {
        // No block at all is the same as every flag off.
        for (String flag :
            List.of(
                BLOCK_PUBLIC_ACLS,
                IGNORE_PUBLIC_ACLS,
                BLOCK_PUBLIC_POLICY,
                RESTRICT_PUBLIC_BUCKETS)) {
          facts.put(flag, "false");
        }
      }
      case "PutBucketPolicy" ->
          facts.put(
              POLICY_PUBLIC,
              Boolean.toString(BucketPolicyExposure.isPublic(rp.path("bucketPolicy"))));
      case "DeleteBucketPolicy" -> facts.put(POLICY_PUBLIC, "false");
      case "PutBucketAcl" -> facts.put(ACL_PUBLIC, Boolean.toString(aclPublic(rp)));
      case "PutBucketEncryption" -> encryption(rp, facts);
      case "DeleteBucketEncryption" -> {
        facts.put(ENCRYPTION, "removed");
        facts.put(ENCRYPTION_KMS_KEY, null);
      }
      case "PutBucketVersioning" -> {
        String status = text(rp.path("VersioningConfiguration").path("Status"));
        if (status != null) {
          facts.put(VERSIONING, status);
        }
      }
      case "PutBucketLogging" -> {
        JsonNode enabled = rp.path("BucketLoggingStatus").path("LoggingEnabled");
        boolean on = enabled.isObject();
        facts.put(LOGGING, Boolean.toString(on));
        facts.put(LOGGING_TARGET, on ? text(enabled.path("TargetBucket")) : null);
      }
      default -> {
        return null;
      }
    }
    if (facts.isEmpty()) {
      return null;
    }
    return StateChange.of(
        "arn:aws:s3:::" + bucket, TYPE_S3_BUCKET, c.account(), c.region(), c.id(), c.time(), facts);
  }

  private static boolean aclPublic(JsonNode rp) {
    String canned = text(rp.path("x-amz-acl"));
    if (canned != null && PUBLIC_CANNED_ACLS.contains(canned)) {
      return true;
    }
    // Explicit grant headers: x-amz-grant-read:
    // uri="http://acs.amazonaws.com/groups/global/AllUsers"
    var fields = rp.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      if (field.getKey().toLowerCase(Locale.ROOT).startsWith("x-amz-grant-")) {
        for (JsonNode value : items(field.getValue())) {
          if (publicGroup(value.asText())) {
            return true;
          }
        }
      }
    }
    JsonNode grants = rp.path("AccessControlPolicy").path("AccessControlList").path("Grant");
    for (JsonNode grant : items(grants)) {
      if (publicGroup(grant.path("Grantee").path("URI").asText(""))) {
        return true;
      }
    }
    return false;
  }

  private static boolean publicGroup(String uri) {
    return uri.contains("/groups/global/AllUsers")
        || uri.contains("/groups/global/AuthenticatedUsers");
  }

  private static void encryption(JsonNode rp, Map<String, String> facts) {
    for (JsonNode rule : items(rp.path("ServerSideEncryptionConfiguration").path("Rule"))) {
      JsonNode defaults = rule.path("ApplyServerSideEncryptionByDefault");
      String algorithm = text(defaults.path("SSEAlgorithm"));
      if (algorithm == null) {
        continue;
      }
      String kind =
          switch (algorithm) {
            case "AES256" -> "SSE-S3";
            case "aws:kms" -> "SSE-KMS";
            case "aws:kms:dsse" -> "DSSE-KMS";
            default -> algorithm;
          };
      facts.put(ENCRYPTION, kind);
      facts.put(
          ENCRYPTION_KMS_KEY, kind.endsWith("KMS") ? text(defaults.path("KMSMasterKeyID")) : null);
      return;
    }
  }

  // EC2 security groups -------------------------------------------------------------------------

  private static StateChange securityGroup(Context c) {
    JsonNode rp = c.request();
    JsonNode response = c.response();
    Map<String, String> facts = new LinkedHashMap<>();
    List<String> revokedIds = new ArrayList<>();
    Map<String, String> modified = new LinkedHashMap<>();
    String groupId = text(rp.path("groupId"));
    switch (c.name()) {
      case "CreateSecurityGroup" -> {
        groupId = text(response.path("groupId"));
        facts.put(StateChange.LIFECYCLE, StateChange.CREATED);
      }
      case "DeleteSecurityGroup" -> facts.put(StateChange.LIFECYCLE, StateChange.DELETED);
      case "AuthorizeSecurityGroupIngress" -> {
        for (IngressRule rule : requestedRules(rp)) {
          facts.put(StateChange.INGRESS + rule.key(), "present");
        }
        for (JsonNode item : items(response.path("securityGroupRuleSet").path("items"))) {
          if (groupId == null) {
            groupId = text(item.path("groupId"));
          }
          String ruleId = text(item.path("securityGroupRuleId"));
          IngressRule rule = responseRule(item);
          if (ruleId != null && rule != null && !item.path("isEgress").asBoolean(false)) {
            facts.put(StateChange.INGRESS_ID + ruleId, rule.key());
          }
        }
      }
      case "RevokeSecurityGroupIngress" -> {
        for (IngressRule rule : requestedRules(rp)) {
          facts.put(StateChange.INGRESS + rule.key(), null);
        }
        collectRuleIds(rp.path("securityGroupRuleIds"), revokedIds);
      }
      case "ModifySecurityGroupRules" -> {
        JsonNode request = rp.path("ModifySecurityGroupRulesRequest");
        groupId = text(request.path("GroupId"));
        for (JsonNode update : items(request.path("SecurityGroupRule"))) {
          String ruleId = text(update.path("SecurityGroupRuleId"));
          JsonNode r = update.path("SecurityGroupRule");
          String source = firstText(r, "CidrIpv4", "CidrIpv6", "ReferencedGroupId", "PrefixListId");
          IngressRule.of(
                  text(r.path("IpProtocol")),
                  integer(r.path("FromPort")),
                  integer(r.path("ToPort")),
                  source)
              .ifPresent(
                  rule -> {
                    if (ruleId != null) {
                      modified.put(ruleId, rule.key());
                    }
                  });
        }
      }
      default -> {
        return null;
      }
    }
    if (groupId == null || (facts.isEmpty() && revokedIds.isEmpty() && modified.isEmpty())) {
      return null;
    }
    String arn = "arn:aws:ec2:" + c.region() + ":" + c.account() + ":security-group/" + groupId;
    return new StateChange(
        arn,
        TYPE_SECURITY_GROUP,
        c.account(),
        c.region(),
        c.id(),
        c.time(),
        facts,
        revokedIds,
        modified);
  }

  /**
   * Both request shapes: {@code ipPermissions.items[]} and the flat {@code
   * cidrIp/ipProtocol/fromPort/toPort}.
   */
  private static List<IngressRule> requestedRules(JsonNode rp) {
    Set<IngressRule> rules = new LinkedHashSet<>();
    for (JsonNode permission : items(rp.path("ipPermissions").path("items"))) {
      String protocol = text(permission.path("ipProtocol"));
      Integer from = integer(permission.path("fromPort"));
      Integer to = integer(permission.path("toPort"));
      List<String> sources = new ArrayList<>();
      items(permission.path("ipRanges").path("items"))
          .forEach(r -> sources.add(text(r.path("cidrIp"))));
      items(permission.path("ipv6Ranges").path("items"))
          .forEach(r -> sources.add(text(r.path("cidrIpv6"))));
      items(permission.path("groups").path("items"))
          .forEach(r -> sources.add(text(r.path("groupId"))));
      items(permission.path("prefixListIds").path("items"))
          .forEach(r -> sources.add(text(r.path("prefixListId"))));
      for (String source : sources) {
        IngressRule.of(protocol, from, to, source).ifPresent(rules::add);
      }
    }
    String flatSource = firstText(rp, "cidrIp", "cidrIpv6");
    if (flatSource != null) {
      IngressRule.of(
              text(rp.path("ipProtocol")),
              integer(rp.path("fromPort")),
              integer(rp.path("toPort")),
              flatSource)
          .ifPresent(rules::add);
    }
    return List.copyOf(rules);
  }

  private static IngressRule responseRule(JsonNode item) {
    String source = firstText(item, "cidrIpv4", "cidrIpv6", "prefixListId");
    if (source == null) {
      source = text(item.path("referencedGroupInfo").path("groupId"));
    }
    return IngressRule.of(
            text(item.path("ipProtocol")),
            integer(item.path("fromPort")),
            integer(item.path("toPort")),
            source)
        .orElse(null);
  }

  private static void collectRuleIds(JsonNode node, List<String> out) {
    if (node.isTextual() && node.asText().startsWith("sgr-")) {
      out.add(node.asText());
    }
    node.forEach(child -> collectRuleIds(child, out));
  }

  // CloudTrail trails ---------------------------------------------------------------------------

  private static StateChange trail(Context c) {
    JsonNode rp = c.request();
    JsonNode response = c.response();
    String arn = text(response.path("trailARN"));
    if (arn == null) {
      String name = text(rp.path("name"));
      if (name == null) {
        return null;
      }
      arn =
          name.startsWith("arn:")
              ? name
              : "arn:aws:cloudtrail:" + c.region() + ":" + c.account() + ":trail/" + name;
    }
    Map<String, String> facts = new LinkedHashMap<>();
    switch (c.name()) {
      case "CreateTrail", "UpdateTrail" -> {
        if (c.name().equals("CreateTrail")) {
          // A new trail does not log until StartLogging; Vigil leaves logging unknown rather than
          // raising a finding for the seconds between the two calls.
          facts.put(StateChange.LIFECYCLE, StateChange.CREATED);
        }
        // The response describes the whole trail; the request only what was asked for.
        putFlag(
            facts,
            MULTI_REGION,
            first(response.path("isMultiRegionTrail"), rp.path("isMultiRegionTrail")));
        putFlag(
            facts,
            LOG_FILE_VALIDATION,
            first(response.path("logFileValidationEnabled"), rp.path("enableLogFileValidation")));
      }
      case "StartLogging" -> facts.put(LOGGING, "true");
      case "StopLogging" -> facts.put(LOGGING, "false");
      case "DeleteTrail" -> facts.put(StateChange.LIFECYCLE, StateChange.DELETED);
      default -> {
        return null;
      }
    }
    return c.onArn(arn, TYPE_TRAIL, facts);
  }

  // GuardDuty, Security Hub, Config -------------------------------------------------------------

  private static StateChange detector(Context c) {
    String detectorId =
        c.name().equals("CreateDetector")
            ? text(c.response().path("detectorId"))
            : text(c.request().path("detectorId"));
    if (detectorId == null) {
      return null;
    }
    Map<String, String> facts = new LinkedHashMap<>();
    switch (c.name()) {
      case "CreateDetector" -> {
        facts.put(StateChange.LIFECYCLE, StateChange.CREATED);
        // enable is required by the API; a missing value means the SDK default, enabled.
        JsonNode enable = c.request().path("enable");
        facts.put(ENABLED, Boolean.toString(!bool(enable).equals("false")));
      }
      case "UpdateDetector" -> putFlag(facts, ENABLED, c.request().path("enable"));
      case "DeleteDetector" -> facts.put(StateChange.LIFECYCLE, StateChange.DELETED);
      default -> {
        return null;
      }
    }
    String arn = "arn:aws:guardduty:" + c.region() + ":" + c.account() + ":detector/" + detectorId;
    return facts.isEmpty() ? null : c.onArn(arn, TYPE_GUARDDUTY_DETECTOR, facts);
  }

  private static StateChange hub(Context c) {
    String enabled =
        switch (c.name()) {
          case "EnableSecurityHub" -> "true";
          case "DisableSecurityHub" -> "false";
          default -> null;
        };
    if (enabled == null) {
      return null;
    }
    // One hub per account and region, named "default" in its ARN.
    String arn = "arn:aws:securityhub:" + c.region() + ":" + c.account() + ":hub/default";
    return c.onArn(arn, TYPE_SECURITY_HUB, Map.of(ENABLED, enabled));
  }

  private static StateChange recorder(Context c) {
    String name = text(c.request().path("configurationRecorderName"));
    if (name == null) {
      return null;
    }
    Map<String, String> facts =
        switch (c.name()) {
          case "StartConfigurationRecorder" -> Map.of(RECORDING, "true");
          case "StopConfigurationRecorder" -> Map.of(RECORDING, "false");
          case "DeleteConfigurationRecorder" -> Map.of(StateChange.LIFECYCLE, StateChange.DELETED);
          default -> null;
        };
    if (facts == null) {
      return null;
    }
    // CloudTrail does not carry the recorder's real ARN (it ends in a generated id): Vigil keys
    // recorders by name, which AWS keeps unique per account and region.
    String arn =
        "arn:aws:config:" + c.region() + ":" + c.account() + ":configuration-recorder/" + name;
    return c.onArn(arn, TYPE_CONFIG_RECORDER, facts);
  }

  // KMS -----------------------------------------------------------------------------------------

  private static StateChange key(Context c) {
    String arn = null;
    if (c.event().getResources() != null) {
      for (CloudTrailResource resource : c.event().getResources()) {
        if (TYPE_KMS_KEY.equals(resource.getType()) && resource.getARN() != null) {
          arn = resource.getARN();
        }
      }
    }
    if (arn == null) {
      String keyId = text(c.request().path("keyId"));
      if (keyId == null) {
        return null;
      }
      arn =
          keyId.startsWith("arn:")
              ? keyId
              : "arn:aws:kms:" + c.region() + ":" + c.account() + ":key/" + keyId;
    }
    Map<String, String> facts = new LinkedHashMap<>();
    switch (c.name()) {
      case "EnableKey" -> facts.put(KEY_STATE, "Enabled");
      case "DisableKey" -> facts.put(KEY_STATE, "Disabled");
      case "ScheduleKeyDeletion" -> {
        facts.put(KEY_STATE, "PendingDeletion");
        facts.put(DELETION_DATE, text(c.response().path("deletionDate")));
      }
      // A key whose deletion is cancelled comes back disabled, not enabled.
      case "CancelKeyDeletion" -> {
        facts.put(KEY_STATE, "Disabled");
        facts.put(DELETION_DATE, null);
      }
      // KMS's own record (an AwsServiceEvent naming the key in resources) when the waiting period
      // of a scheduled deletion ends.
      case "DeleteKey" -> facts.put(StateChange.LIFECYCLE, StateChange.DELETED);
      default -> {
        return null;
      }
    }
    return c.onArn(arn, TYPE_KMS_KEY, facts);
  }

  // JSON helpers --------------------------------------------------------------------------------

  /** The elements of an array, or the node itself when CloudTrail wrote a single element bare. */
  static List<JsonNode> items(JsonNode node) {
    return CloudTrailJson.items(node);
  }

  /**
   * Text of a scalar, or of the first element of an array (S3 headers come as one-element lists).
   */
  static String text(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isArray()) {
      return node.isEmpty() ? null : text(node.get(0));
    }
    if (node.isValueNode() && !node.isNull()) {
      String value = node.asText();
      return value.isEmpty() ? null : value;
    }
    return null;
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      String value = text(node.path(field));
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static JsonNode first(JsonNode preferred, JsonNode fallback) {
    return preferred.isMissingNode() || preferred.isNull() ? fallback : preferred;
  }

  private static Integer integer(JsonNode node) {
    String value = text(node);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * {@code "true"}, {@code "false"} or {@code ""} for a boolean written as JSON boolean or text.
   */
  private static String bool(JsonNode node) {
    String value = text(node);
    if (value == null) {
      return "";
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> "true";
      case "false" -> "false";
      default -> "";
    };
  }

  private static void putFlag(Map<String, String> facts, String name, JsonNode node) {
    String value = bool(node);
    if (!value.isEmpty()) {
      facts.put(name, value);
    }
  }

  private static JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // An unreadable element says nothing about the resource; the event is then ignored here.
      return MissingNode.getInstance();
    }
  }

  /** The event with its parsed request and response, and the fields every resource needs. */
  private record Context(CloudTrailEvent event, JsonNode request, JsonNode response) {

    Context(CloudTrailEvent event) {
      this(event, parse(event.getRequestParameters()), parse(event.getResponseElements()));
    }

    String name() {
      return event.getEventName();
    }

    String source() {
      String source = event.getEventSource() == null ? "" : event.getEventSource();
      int dot = source.indexOf('.');
      return dot < 0 ? source : source.substring(0, dot);
    }

    String id() {
      return event.getEventID();
    }

    long time() {
      return event.getEventTimeMillis().toEpochMilli();
    }

    String region() {
      return event.getAwsRegion() == null ? "" : event.getAwsRegion();
    }

    String account() {
      if (event.getRecipientAccountId() != null) {
        return event.getRecipientAccountId();
      }
      return event.getUserIdentity() == null || event.getUserIdentity().getAccountId() == null
          ? ""
          : event.getUserIdentity().getAccountId();
    }

    /** A change on a resource whose ARN may name a region and account other than the event's. */
    StateChange onArn(String arn, String type, Map<String, String> facts) {
      String[] parts = arn.split(":", 6);
      String region = parts.length == 6 && !parts[3].isEmpty() ? parts[3] : region();
      String account = parts.length == 6 && !parts[4].isEmpty() ? parts[4] : account();
      return StateChange.of(arn, type, account, region, id(), time(), facts);
    }
  }
}
