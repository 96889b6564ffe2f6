package io.vigil.streams.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The accounts a request opens something to: the account ids it grants, and {@link #EVERYONE} for a
 * grant to everyone (a public snapshot or image, a trust policy for {@code "*"}). Read from the
 * shapes CloudTrail records: EBS snapshot volume permissions, AMI launch permissions, RDS and
 * Aurora snapshot restore attributes, IAM role trust policies, and the principal of a Lambda
 * function or layer permission (a service principal names no account). Shares with an organization
 * or an organizational unit name no account and are not counted.
 */
final class AccountGrants {

  /** A grant to everyone. */
  static final String EVERYONE = "all";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final Pattern ACCOUNT_IN_ARN = Pattern.compile("arn:aws[\\w-]*:iam::(\\d{12}):.*");

  private static final FieldPath EVENT_NAME = FieldPath.of("eventName");
  private static final FieldPath SNAPSHOT_USERS =
      FieldPath.of("requestParameters.createVolumePermission.add.items.userId");
  private static final FieldPath SNAPSHOT_GROUPS =
      FieldPath.of("requestParameters.createVolumePermission.add.items.group");
  private static final FieldPath IMAGE_USERS =
      FieldPath.of("requestParameters.launchPermission.add.items.userId");
  private static final FieldPath IMAGE_GROUPS =
      FieldPath.of("requestParameters.launchPermission.add.items.group");
  private static final FieldPath RDS_ATTRIBUTE = FieldPath.of("requestParameters.attributeName");
  private static final FieldPath RDS_VALUES = FieldPath.of("requestParameters.valuesToAdd");
  private static final FieldPath TRUST_POLICY = FieldPath.of("requestParameters.policyDocument");
  private static final FieldPath NEW_ROLE_TRUST_POLICY =
      FieldPath.of("requestParameters.assumeRolePolicyDocument");
  private static final FieldPath LAMBDA_PRINCIPAL = FieldPath.of("requestParameters.principal");

  private AccountGrants() {}

  /** The accounts {@code event} grants to, in request order; empty for any other request. */
  static Set<String> of(EventView event) {
    List<Object> names = event.values(EVENT_NAME);
    String name = names.isEmpty() ? "" : String.valueOf(names.get(0));
    Set<String> granted = new LinkedHashSet<>();
    switch (name) {
      case "ModifySnapshotAttribute" -> {
        addIds(granted, event.values(SNAPSHOT_USERS));
        addGroups(granted, event.values(SNAPSHOT_GROUPS));
      }
      case "ModifyImageAttribute" -> {
        addIds(granted, event.values(IMAGE_USERS));
        addGroups(granted, event.values(IMAGE_GROUPS));
      }
      case "ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute" -> {
        List<Object> attribute = event.values(RDS_ATTRIBUTE);
        if (!attribute.isEmpty() && "restore".equals(String.valueOf(attribute.get(0)))) {
          for (Object value : event.values(RDS_VALUES)) {
            String text = String.valueOf(value);
            granted.add(EVERYONE.equalsIgnoreCase(text) ? EVERYONE : text);
          }
        }
      }
      case "UpdateAssumeRolePolicy" -> addTrusted(granted, event.values(TRUST_POLICY));
      case "CreateRole" -> addTrusted(granted, event.values(NEW_ROLE_TRUST_POLICY));
      default -> {
        // Lambda's API versions are part of the event name: AddPermission20150331v2.
        if (name.startsWith("AddPermission") || name.startsWith("AddLayerVersionPermission")) {
          event.values(LAMBDA_PRINCIPAL).forEach(p -> addPrincipal(granted, String.valueOf(p)));
        }
      }
    }
    return granted;
  }

  private static void addIds(Set<String> granted, List<Object> ids) {
    ids.forEach(id -> granted.add(String.valueOf(id)));
  }

  private static void addGroups(Set<String> granted, List<Object> groups) {
    for (Object group : groups) {
      if (EVERYONE.equalsIgnoreCase(String.valueOf(group))) {
        granted.add(EVERYONE);
      }
    }
  }

  // The AWS principals that an Allow statement of a trust policy admits.
  private static void addTrusted(Set<String> granted, List<Object> documents) {
    if (documents.isEmpty()) {
      return;
    }
    JsonNode policy;
    try {
      Object document = documents.get(0);
      policy = JSON.readTree(document instanceof String text ? text : String.valueOf(document));
    } catch (IOException e) {
      return; // not a policy: nothing can be said of it
    }
    JsonNode statements = policy.path("Statement");
    for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
      if (!"Allow".equals(statement.path("Effect").asText())) {
        continue;
      }
      JsonNode principal = statement.path("Principal");
      if (principal.isTextual() && principal.asText().equals("*")) {
        granted.add(EVERYONE);
        continue;
      }
      JsonNode aws = principal.path("AWS");
      for (JsonNode one : aws.isArray() ? aws : List.of(aws)) {
        if (one.isTextual()) {
          addPrincipal(granted, one.asText());
        }
      }
    }
  }

  private static void addPrincipal(Set<String> granted, String principal) {
    if (principal.equals("*")) {
      granted.add(EVERYONE);
      return;
    }
    if (ACCOUNT_ID.matcher(principal).matches()) {
      granted.add(principal);
      return;
    }
    Matcher arn = ACCOUNT_IN_ARN.matcher(principal);
    if (arn.matches()) {
      granted.add(arn.group(1));
    }
  }
}
