package io.vigil.streams.aws;

import io.vigil.sigma.event.DerivedField;
import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import io.vigil.sigma.parse.SigmaRuleLoader;
import java.util.List;
import java.util.Map;

/**
 * The fields Vigil derives from AWS events for rules, under the {@code vigil.} prefix, where a
 * judgement needs more than Sigma can say, and the one place streams makes rule loaders: every
 * loader from {@link #ruleLoader} knows these fields, so no caller can forget them.
 *
 * <ul>
 *   <li>{@code vigil.bucketPolicyPublic}: for an event with {@code requestParameters.bucketPolicy},
 *       whether that policy makes the bucket public by S3's definition ({@link
 *       BucketPolicyExposure}); absent otherwise.
 * </ul>
 */
public final class AwsDerivedFields {

  /** {@code vigil.bucketPolicyPublic}. */
  public static final DerivedField BUCKET_POLICY_PUBLIC = new BucketPolicyPublic();

  /** Every AWS derived field. */
  public static final DerivedFields ALL = DerivedFields.of(BUCKET_POLICY_PUBLIC);

  private AwsDerivedFields() {}

  /** A rule loader with these fields and the given {@code %placeholder%} values. */
  public static SigmaRuleLoader ruleLoader(Map<String, List<String>> placeholders) {
    return new SigmaRuleLoader(placeholders, ALL);
  }

  /** A rule loader with these fields and no placeholder values. */
  public static SigmaRuleLoader ruleLoader() {
    return ruleLoader(Map.of());
  }

  private static final class BucketPolicyPublic implements DerivedField {

    private static final FieldPath BUCKET_POLICY = FieldPath.of("requestParameters.bucketPolicy");

    @Override
    public String name() {
      return "vigil.bucketPolicyPublic";
    }

    @Override
    public List<Object> values(EventView event) {
      List<Object> policy = event.values(BUCKET_POLICY);
      if (policy.isEmpty() || !(policy.get(0) instanceof String text)) {
        return List.of();
      }
      return List.of(BucketPolicyExposure.isPublic(text));
    }

    @Override
    public String toString() {
      return name();
    }
  }
}
