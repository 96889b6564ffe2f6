package io.vigil.streams.aws;

import io.vigil.sigma.event.DerivedField;
import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import io.vigil.sigma.parse.SigmaRuleLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields Vigil derives from AWS events for rules, under the {@code vigil.} prefix, where a
 * judgement needs more than Sigma can say, and the one place streams makes rule loaders: every
 * loader from {@link #ruleLoader} knows these fields, so no caller can forget them.
 *
 * <ul>
 *   <li>{@code vigil.bucketPolicyPublic}: for an event with {@code requestParameters.bucketPolicy},
 *       whether that policy makes the bucket public by S3's definition ({@link
 *       BucketPolicyExposure}); absent otherwise.
 *   <li>{@code vigil.grantedAccounts}: the account ids a request shares something with or trusts
 *       ({@link AccountGrants}: snapshots, images, RDS snapshots, role trust policies, Lambda
 *       permissions), {@code all} for everyone.
 *   <li>{@code vigil.grantedOutside}: those of them outside the organization: neither among {@code
 *       accounts.names} nor the account the event happened in ({@code all} is always outside).
 *   <li>{@code vigil.principal}: who acted, stably across sessions: the role for a role session
 *       (its session issuer's ARN: session names are often made anew for each session, e.g. an
 *       instance id or a random SDK name), the user's ARN for a user or root, the service for an
 *       AWS service, else the principal id. For first-seen terms, which a session name would make
 *       new at every session.
 * </ul>
 */
public final class AwsDerivedFields {

  /** {@code vigil.bucketPolicyPublic}. */
  public static final DerivedField BUCKET_POLICY_PUBLIC = new BucketPolicyPublic();

  /** {@code vigil.grantedAccounts}. */
  public static final DerivedField GRANTED_ACCOUNTS = new GrantedAccounts();

  /** {@code vigil.principal}. */
  public static final DerivedField PRINCIPAL = new Principal();

  private static final FieldPath RECIPIENT_ACCOUNT = FieldPath.of("recipientAccountId");

  private AwsDerivedFields() {}

  /** Every AWS derived field, for an organization made of {@code ownAccounts}. */
  public static DerivedFields all(Set<String> ownAccounts) {
    Set<String> own = Set.copyOf(ownAccounts);
    return DerivedFields.of(
        BUCKET_POLICY_PUBLIC, GRANTED_ACCOUNTS, new GrantedOutside(own), PRINCIPAL);
  }

  /**
   * A rule loader with these fields, the given {@code %placeholder%} values and the organization's
   * own accounts.
   */
  public static SigmaRuleLoader ruleLoader(
      Map<String, List<String>> placeholders, Set<String> ownAccounts) {
    return new SigmaRuleLoader(placeholders, all(ownAccounts));
  }

  /** A rule loader with these fields and the given {@code %placeholder%} values. */
  public static SigmaRuleLoader ruleLoader(Map<String, List<String>> placeholders) {
    return ruleLoader(placeholders, Set.of());
  }

  /** A rule loader with these fields and no placeholder values. */
  public static SigmaRuleLoader ruleLoader() {
    return ruleLoader(Map.of());
  }

  private static final class GrantedAccounts implements DerivedField {

    @Override
    public String name() {
      return "vigil.grantedAccounts";
    }

    @Override
    public List<Object> values(EventView event) {
      return List.copyOf(AccountGrants.of(event));
    }

    @Override
    public String toString() {
      return name();
    }
  }

  // Outside: neither one of the organization's accounts nor the account the event happened in
  // (a role trusting its own account is no backdoor); everyone is always outside.
  private record GrantedOutside(Set<String> own) implements DerivedField {

    @Override
    public String name() {
      return "vigil.grantedOutside";
    }

    @Override
    public List<Object> values(EventView event) {
      Set<String> granted = AccountGrants.of(event);
      if (granted.isEmpty()) {
        return List.of();
      }
      List<Object> here = event.values(RECIPIENT_ACCOUNT);
      return granted.stream()
          .filter(
              account ->
                  account.equals(AccountGrants.EVERYONE)
                      || !(own.contains(account) || here.contains(account)))
          .map(account -> (Object) account)
          .toList();
    }

    @Override
    public String toString() {
      return name();
    }
  }

  private static final class Principal implements DerivedField {

    private static final FieldPath SESSION_ISSUER =
        FieldPath.of("userIdentity.sessionContext.sessionIssuer.arn");
    private static final List<FieldPath> BY_PREFERENCE =
        List.of(
            FieldPath.of("userIdentity.arn"),
            FieldPath.of("userIdentity.invokedBy"),
            FieldPath.of("userIdentity.principalId"));
    private static final FieldPath TYPE = FieldPath.of("userIdentity.type");

    @Override
    public String name() {
      return "vigil.principal";
    }

    @Override
    public List<Object> values(EventView event) {
      if (event.values(TYPE).contains("AssumedRole")) {
        String role = first(event, SESSION_ISSUER);
        if (role != null) {
          return List.of(role);
        }
      }
      for (FieldPath path : BY_PREFERENCE) {
        String value = first(event, path);
        if (value != null) {
          return List.of(value);
        }
      }
      return List.of();
    }

    private static String first(EventView event, FieldPath path) {
      for (Object value : event.values(path)) {
        if (value instanceof String text && !text.isEmpty()) {
          return text;
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return name();
    }
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
