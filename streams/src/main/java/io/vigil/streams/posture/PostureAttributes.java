package io.vigil.streams.posture;

/**
 * Names of the {@code ResourceState.attributes} the posture topology writes, and of the resource
 * types it tracks. The names are part of Vigil's contract (the posture API, the reports and user
 * queries read them): add new ones, never rename. Values are strings; booleans are {@code
 * "true"}/{@code "false"}, lists are JSON arrays. An attribute that no event has set yet is absent:
 * Vigil only knows what the event stream told it.
 */
public final class PostureAttributes {

  public static final String TYPE_S3_BUCKET = "AWS::S3::Bucket";
  public static final String TYPE_SECURITY_GROUP = "AWS::EC2::SecurityGroup";
  public static final String TYPE_TRAIL = "AWS::CloudTrail::Trail";
  public static final String TYPE_GUARDDUTY_DETECTOR = "AWS::GuardDuty::Detector";
  public static final String TYPE_SECURITY_HUB = "AWS::SecurityHub::Hub";
  public static final String TYPE_CONFIG_RECORDER = "AWS::Config::ConfigurationRecorder";
  public static final String TYPE_KMS_KEY = "AWS::KMS::Key";

  // S3 buckets.
  /** Bucket-level public access block flags; all four {@code "false"} once the block is deleted. */
  public static final String BLOCK_PUBLIC_ACLS = "public_access_block.block_public_acls";

  public static final String IGNORE_PUBLIC_ACLS = "public_access_block.ignore_public_acls";
  public static final String BLOCK_PUBLIC_POLICY = "public_access_block.block_public_policy";
  public static final String RESTRICT_PUBLIC_BUCKETS =
      "public_access_block.restrict_public_buckets";

  /**
   * Whether the bucket policy has an unconditional Allow for everyone; {@code "false"} once
   * deleted.
   */
  public static final String POLICY_PUBLIC = "policy_public";

  /** Whether the ACL grants anything to AllUsers or AuthenticatedUsers (grants or canned ACL). */
  public static final String ACL_PUBLIC = "acl_public";

  /** Derived: policy or ACL public and not neutralised by the bucket's public access block. */
  public static final String PUBLIC = "public";

  /** Default encryption: {@code SSE-S3}, {@code SSE-KMS}, {@code DSSE-KMS}, or {@code removed}. */
  public static final String ENCRYPTION = "encryption";

  /** KMS key of SSE-KMS default encryption, when the configuration names one. */
  public static final String ENCRYPTION_KMS_KEY = "encryption_kms_key";

  /** Versioning status as S3 reports it: {@code Enabled} or {@code Suspended}. */
  public static final String VERSIONING = "versioning";

  /** Server access logging: {@code "true"} or {@code "false"}. */
  public static final String LOGGING = "logging";

  /** Target bucket of server access logging, while enabled. */
  public static final String LOGGING_TARGET = "logging_target";

  /** Derived: whether the bucket is listed in {@code phi.buckets}. */
  public static final String PHI = "phi";

  // Security groups.
  /** JSON array of {@code {"protocol","ports","source"}}, sorted: the ingress rules Vigil saw. */
  public static final String INGRESS_RULES = "ingress_rules";

  /** JSON array of {@code protocol/ports} (or {@code all}) open to the whole IPv4 or IPv6 space. */
  public static final String OPEN_TO_WORLD_PORTS = "open_to_world_ports";

  // Trails (LOGGING as for buckets: {@code "true"} after StartLogging, {@code "false"} after
  // StopLogging).
  public static final String MULTI_REGION = "multi_region";
  public static final String LOG_FILE_VALIDATION = "log_file_validation";

  // GuardDuty detectors and Security Hub.
  public static final String ENABLED = "enabled";

  // Config recorders.
  public static final String RECORDING = "recording";

  // KMS keys.
  /** {@code Enabled}, {@code Disabled} or {@code PendingDeletion}, as KMS names key states. */
  public static final String KEY_STATE = "key_state";

  /** Deletion date of a key pending deletion, as CloudTrail wrote it. */
  public static final String DELETION_DATE = "deletion_date";

  private PostureAttributes() {}
}
