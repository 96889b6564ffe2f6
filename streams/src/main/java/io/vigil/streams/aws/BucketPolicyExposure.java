package io.vigil.streams.aws;

import static io.vigil.streams.aws.CloudTrailJson.items;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.sigma.match.CidrRange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether an S3 bucket policy makes the bucket public, by S3's own definition ("the meaning of
 * public" in the S3 user guide and the {@code PublicAccessBlockConfiguration} reference): a policy
 * is public when an {@code Allow} statement grants to everyone (Principal {@code "*"}, a principal
 * value with a wildcard, or {@code NotPrincipal}) unless its Condition pins the request to fixed
 * values of one of:
 *
 * <ul>
 *   <li>{@code aws:SourceIp}: a set of CIDRs (Vigil counts a prefix length of 0, the whole
 *       internet, as no restriction);
 *   <li>{@code aws:SourceArn}, {@code aws:SourceVpc}, {@code aws:SourceVpce}, {@code
 *       aws:SourceOwner}, {@code aws:SourceAccount}, {@code
 *       s3:x-amz-server-side-encryption-aws-kms-key-id}, {@code aws:userid} (a role's {@code
 *       AROLEID:*} has a wildcard, so it is not fixed);
 *   <li>a fixed principal: {@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code
 *       aws:PrincipalOrgID} (the organization's principals; AWS Access Analyzer treats these the
 *       same way).
 * </ul>
 *
 * A fixed value has no wildcard ({@code *}, {@code ?}) and no policy variable ({@code ${...}}).
 * Only operators that demand a match restrict ({@code StringEquals}, {@code StringLike}, {@code
 * ArnEquals}, {@code ArnLike}, {@code IpAddress}, and their {@code ForAnyValue:} forms); negated
 * operators, {@code ...IfExists} (passes when the key is absent) and {@code ForAllValues:} (passes
 * for an empty set) restrict nothing. A condition on any other key ({@code aws:SecureTransport},
 * {@code s3:x-amz-acl}, ...) does not narrow who may call.
 *
 * <p>Shared by the detection rule {@code aws-s3-bucket-public} (through the derived field {@code
 * vigil.bucketPolicyPublic}) and the posture of S3 buckets, so that both judge alike.
 */
public final class BucketPolicyExposure {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESTRICTING_OPERATORS =
      Set.of("stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike");
  private static final Set<String> FIXED_VALUE_KEYS =
      Set.of(
          "aws:sourcearn",
          "aws:sourcevpc",
          "aws:sourcevpce",
          "aws:sourceowner",
          "aws:sourceaccount",
          "s3:x-amz-server-side-encryption-aws-kms-key-id",
          "aws:principalarn",
          "aws:principalaccount",
          "aws:principalorgid",
          "aws:userid");

  private BucketPolicyExposure() {}

  /**
   * Whether {@code policy} (the policy document as a JSON object, or as its JSON text, as
   * CloudTrail may write it) makes the bucket public. An unreadable policy is not public: it says
   * nothing about the bucket (S3 refuses to store one).
   */
  public static boolean isPublic(JsonNode policy) {
    JsonNode doc = policy;
    if (doc != null && doc.isTextual()) {
      doc = parse(doc.asText());
    }
    if (doc == null) {
      return false;
    }
    for (JsonNode statement : items(doc.path("Statement"))) {
      if (!"Allow".equalsIgnoreCase(statement.path("Effect").asText())) {
        continue;
      }
      boolean everyone =
          statement.has("NotPrincipal") || grantsEveryone(statement.path("Principal"));
      if (everyone && !restricted(statement.path("Condition"))) {
        return true;
      }
    }
    return false;
  }

  /** As {@link #isPublic(JsonNode)} for the policy's JSON text. */
  public static boolean isPublic(String policyJson) {
    JsonNode doc = parse(policyJson);
    return doc != null && isPublic(doc);
  }

  private static boolean grantsEveryone(JsonNode principal) {
    if (principal.isTextual()) {
      return principal.asText().contains("*");
    }
    if (!principal.isObject()) {
      return false;
    }
    for (JsonNode values : principal) {
      for (JsonNode value : items(values)) {
        if (value.asText().contains("*")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether one condition entry pins the caller to fixed values (entries are ANDed: one suffices).
   */
  private static boolean restricted(JsonNode condition) {
    if (!condition.isObject()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
      Map.Entry<String, JsonNode> op = ops.next();
      String operator = op.getKey().toLowerCase(Locale.ROOT);
      if (operator.endsWith("ifexists") || operator.startsWith("forallvalues:")) {
        continue;
      }
      operator =
          operator.startsWith("foranyvalue:")
              ? operator.substring("foranyvalue:".length())
              : operator;
      for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> key = keys.next();
        List<String> values = new ArrayList<>();
        items(key.getValue()).forEach(v -> values.add(v.asText()));
        if (!values.isEmpty()
            && restricts(operator, key.getKey().toLowerCase(Locale.ROOT), values)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean restricts(String operator, String key, List<String> values) {
    if (key.equals("aws:sourceip")) {
      return operator.equals("ipaddress")
          && values.stream().allMatch(BucketPolicyExposure::narrowerThanInternet);
    }
    if (!RESTRICTING_OPERATORS.contains(operator)) {
      return false;
    }
    return FIXED_VALUE_KEYS.contains(key) && values.stream().allMatch(BucketPolicyExposure::fixed);
  }

  private static boolean fixed(String value) {
    return !value.isEmpty()
        && value.indexOf('*') < 0
        && value.indexOf('?') < 0
        && !value.contains("${");
  }

  // A value that is no network pins nothing (S3 refuses to store such a policy anyway).
  private static boolean narrowerThanInternet(String cidr) {
    return CidrRange.tryParse(cidr).map(range -> !range.wholeSpace()).orElse(false);
  }

  private static JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
