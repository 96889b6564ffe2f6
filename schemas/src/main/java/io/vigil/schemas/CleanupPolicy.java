package io.vigil.schemas;

/** The {@code cleanup.policy} a topic should be created with. */
public enum CleanupPolicy {
  /** Time/size retention: event streams. */
  DELETE("delete"),
  /** Latest value per key kept forever: state such as posture. */
  COMPACT("compact"),
  /**
   * Latest value per key, and old keys expire too: alerts updated in place under their dedup key.
   */
  COMPACT_DELETE("compact,delete"),
  /** Every record kept forever, none replaced: an audit trail such as the alerts' triage. */
  RETAIN("delete");

  private final String configValue;

  CleanupPolicy(String configValue) {
    this.configValue = configValue;
  }

  /** The value of Kafka's {@code cleanup.policy} topic config. */
  public String configValue() {
    return configValue;
  }
}
