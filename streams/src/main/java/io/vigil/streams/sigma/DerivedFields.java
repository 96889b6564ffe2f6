package io.vigil.streams.sigma;

import java.util.List;
import java.util.Set;

import io.vigil.streams.aws.BucketPolicyExposure;

/**
 * Fields that Vigil derives from a CloudTrail event for rules, under the {@code vigil.} prefix,
 * where a judgement needs more than Sigma can say: Sigma matches values along paths but cannot
 * tie, say, a policy statement's Effect, Principal and Condition to the same statement. Other Sigma
 * tools do not know these fields; rules that use them say so in their description.
 * <ul>
 *   <li>{@code vigil.bucketPolicyPublic}: for an event with {@code requestParameters.bucketPolicy},
 *       whether that policy makes the bucket public by S3's definition
 *       ({@link BucketPolicyExposure}); absent otherwise.</li>
 * </ul>
 */
final class DerivedFields {

  /** The first segment of every derived field. */
  static final String PREFIX = "vigil";
  /** The derived fields there are, as written in rules. */
  static final Set<String> NAMES = Set.of("vigil.bucketPolicyPublic");

  private static final FieldPath BUCKET_POLICY = FieldPath.of("requestParameters.bucketPolicy");

  private DerivedFields() {
  }

  /** Whether {@code path} is in the derived namespace (known or not). */
  static boolean derived(FieldPath path) {
    return path.head().equals(PREFIX);
  }

  /** The values of a derived field of {@code event}; empty when it does not apply. */
  static List<Object> values(EventView event, FieldPath path) {
    if (path.size() == 2 && path.segment(1).equals("bucketPolicyPublic")) {
      List<Object> policy = event.values(BUCKET_POLICY);
      if (policy.isEmpty() || !(policy.get(0) instanceof String text)) {
        return List.of();
      }
      return List.of(BucketPolicyExposure.isPublic(text));
    }
    return List.of();
  }
}
