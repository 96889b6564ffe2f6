package io.vigil.streams.posture;

import static io.vigil.streams.posture.PostureAttributes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The posture rules: which rule ids a resource state fails. The ids are stable (as every id of the
 * catalogue in docs/rules.md); they are what {@code ResourceState.failing_controls} holds and the
 * {@code rule_id} of the findings, and their framework mappings (CIS AWS, PCI DSS, HIPAA, SOC 2,
 * GDPR) live in the rule metadata under {@code rules/posture/}, as for every other rule.
 */
public final class PostureControls {

  /** Policy or ACL open to everyone and not neutralised by the bucket's public access block. */
  public static final String S3_BUCKET_PUBLIC = "posture-s3-bucket-public";

  /** Default encryption configuration deleted. */
  public static final String S3_BUCKET_UNENCRYPTED = "posture-s3-bucket-unencrypted";

  /** A bucket listed in {@code phi.buckets} is public. */
  public static final String PHI_BUCKET_PUBLIC = "posture-phi-bucket-public";

  /** An ingress rule from a CIDR of prefix length 0. */
  public static final String SECURITY_GROUP_OPEN_TO_WORLD = "posture-security-group-open-to-world";

  /** Trail stopped or deleted. */
  public static final String CLOUDTRAIL_NOT_LOGGING = "posture-cloudtrail-not-logging";

  /** Trail records one region only. */
  public static final String CLOUDTRAIL_NOT_MULTI_REGION = "posture-cloudtrail-not-multi-region";

  /** Trail without log file integrity validation. */
  public static final String CLOUDTRAIL_LOG_VALIDATION_DISABLED =
      "posture-cloudtrail-log-validation-disabled";

  /** Detector disabled or deleted. */
  public static final String GUARDDUTY_DISABLED = "posture-guardduty-disabled";

  /** Security Hub disabled in an account and region. */
  public static final String SECURITYHUB_DISABLED = "posture-securityhub-disabled";

  /** Configuration recorder stopped or deleted. */
  public static final String CONFIG_RECORDER_STOPPED = "posture-config-recorder-stopped";

  /** Key disabled or pending deletion. */
  public static final String KMS_KEY_DISABLED = "posture-kms-key-disabled";

  /** Every posture rule id. */
  public static final List<String> ALL =
      List.of(
          S3_BUCKET_PUBLIC,
          S3_BUCKET_UNENCRYPTED,
          PHI_BUCKET_PUBLIC,
          SECURITY_GROUP_OPEN_TO_WORLD,
          CLOUDTRAIL_NOT_LOGGING,
          CLOUDTRAIL_NOT_MULTI_REGION,
          CLOUDTRAIL_LOG_VALIDATION_DISABLED,
          GUARDDUTY_DISABLED,
          SECURITYHUB_DISABLED,
          CONFIG_RECORDER_STOPPED,
          KMS_KEY_DISABLED);

  private static final List<String> PUBLIC_EVIDENCE =
      List.of(
          PUBLIC,
          POLICY_PUBLIC,
          ACL_PUBLIC,
          BLOCK_PUBLIC_ACLS,
          IGNORE_PUBLIC_ACLS,
          BLOCK_PUBLIC_POLICY,
          RESTRICT_PUBLIC_BUCKETS,
          PHI);

  private PostureControls() {}

  /**
   * The CloudTrail eventSource whose events a posture rule's resource state is folded from (its
   * telemetry: without them the rule never sees the resource); empty for an unknown id.
   */
  public static java.util.Optional<String> eventSource(String ruleId) {
    String service =
        switch (ruleId) {
          case S3_BUCKET_PUBLIC, S3_BUCKET_UNENCRYPTED, PHI_BUCKET_PUBLIC -> "s3";
          case SECURITY_GROUP_OPEN_TO_WORLD -> "ec2";
          case CLOUDTRAIL_NOT_LOGGING,
              CLOUDTRAIL_NOT_MULTI_REGION,
              CLOUDTRAIL_LOG_VALIDATION_DISABLED ->
              "cloudtrail";
          case GUARDDUTY_DISABLED -> "guardduty";
          case SECURITYHUB_DISABLED -> "securityhub";
          case CONFIG_RECORDER_STOPPED -> "config";
          case KMS_KEY_DISABLED -> "kms";
          default -> null;
        };
    return java.util.Optional.ofNullable(service).map(s -> s + ".amazonaws.com");
  }

  /**
   * The rule ids this state fails, in {@link #ALL} order. Unknown attributes never fail a rule, and
   * a deleted resource fails none: nothing of it is left to be misconfigured (as AWS Config stops
   * evaluating a deleted resource). The deletion itself is a finding only where it is the way a
   * control breaks; see {@link #brokenByDeletion}.
   */
  static List<String> failing(String type, Map<String, String> attributes, boolean deleted) {
    List<String> out = new ArrayList<>();
    if (deleted) {
      return out;
    }
    switch (type) {
      case TYPE_S3_BUCKET -> {
        if (is(attributes, PUBLIC, "true")) {
          out.add(S3_BUCKET_PUBLIC);
        }
        if (is(attributes, ENCRYPTION, "removed")) {
          out.add(S3_BUCKET_UNENCRYPTED);
        }
        if (is(attributes, PUBLIC, "true") && is(attributes, PHI, "true")) {
          out.add(PHI_BUCKET_PUBLIC);
        }
      }
      case TYPE_SECURITY_GROUP -> {
        String open = attributes.getOrDefault(OPEN_TO_WORLD_PORTS, "[]");
        if (!open.equals("[]")) {
          out.add(SECURITY_GROUP_OPEN_TO_WORLD);
        }
      }
      case TYPE_TRAIL -> {
        if (is(attributes, LOGGING, "false")) {
          out.add(CLOUDTRAIL_NOT_LOGGING);
        }
        if (is(attributes, MULTI_REGION, "false")) {
          out.add(CLOUDTRAIL_NOT_MULTI_REGION);
        }
        if (is(attributes, LOG_FILE_VALIDATION, "false")) {
          out.add(CLOUDTRAIL_LOG_VALIDATION_DISABLED);
        }
      }
      case TYPE_GUARDDUTY_DETECTOR -> {
        if (is(attributes, ENABLED, "false")) {
          out.add(GUARDDUTY_DISABLED);
        }
      }
      case TYPE_SECURITY_HUB -> {
        if (is(attributes, ENABLED, "false")) {
          out.add(SECURITYHUB_DISABLED);
        }
      }
      case TYPE_CONFIG_RECORDER -> {
        if (is(attributes, RECORDING, "false")) {
          out.add(CONFIG_RECORDER_STOPPED);
        }
      }
      case TYPE_KMS_KEY -> {
        if (is(attributes, KEY_STATE, "Disabled") || is(attributes, KEY_STATE, "PendingDeletion")) {
          out.add(KMS_KEY_DISABLED);
        }
      }
      default -> {
        // Not a tracked type: nothing to evaluate.
      }
    }
    return out;
  }

  /**
   * The rules whose control the deletion of a resource of this type breaks, raised once as a
   * finding when the resource is deleted (the deleted state itself fails nothing). Deleting a
   * trail, a GuardDuty detector or a Config recorder is one way of turning logging, threat
   * detection or recording off (the rules say "stopped or deleted"); the finding is the lasting
   * evidence the compliance reports cite for the period, after the deleted state itself has gone.
   * Deleting a bucket, a security group or a key breaks no control.
   */
  static List<String> brokenByDeletion(String type) {
    return switch (type) {
      case TYPE_TRAIL -> List.of(CLOUDTRAIL_NOT_LOGGING);
      case TYPE_GUARDDUTY_DETECTOR -> List.of(GUARDDUTY_DISABLED);
      case TYPE_CONFIG_RECORDER -> List.of(CONFIG_RECORDER_STOPPED);
      default -> List.of();
    };
  }

  /** The attributes a finding of this rule cites as evidence. */
  static List<String> evidence(String ruleId) {
    return switch (ruleId) {
      case S3_BUCKET_PUBLIC, PHI_BUCKET_PUBLIC -> PUBLIC_EVIDENCE;
      case S3_BUCKET_UNENCRYPTED -> List.of(ENCRYPTION, ENCRYPTION_KMS_KEY);
      case SECURITY_GROUP_OPEN_TO_WORLD -> List.of(OPEN_TO_WORLD_PORTS, INGRESS_RULES);
      case CLOUDTRAIL_NOT_LOGGING -> List.of(LOGGING);
      case CLOUDTRAIL_NOT_MULTI_REGION -> List.of(MULTI_REGION);
      case CLOUDTRAIL_LOG_VALIDATION_DISABLED -> List.of(LOG_FILE_VALIDATION);
      case GUARDDUTY_DISABLED, SECURITYHUB_DISABLED -> List.of(ENABLED);
      case CONFIG_RECORDER_STOPPED -> List.of(RECORDING);
      case KMS_KEY_DISABLED -> List.of(KEY_STATE, DELETION_DATE);
      default -> List.of();
    };
  }

  private static boolean is(Map<String, String> attributes, String name, String value) {
    return value.equals(attributes.get(name));
  }
}
