package io.vigil.sinks;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.Severity;
import java.util.List;
import java.util.Map;

/** Realistic alerts for the sink tests. */
public final class TestAlerts {

  private TestAlerts() {}

  /** A CloudTrail StopLogging alert, first publication. */
  public static Alert stopLogging() {
    return Alert.newBuilder()
        .setAlertId("a-0001")
        .setRuleId("aws-cloudtrail-stop-logging")
        .setTitle("CloudTrail logging stopped")
        .setSeverity(Severity.high)
        .setAccountId("111122223333")
        .setRegion("eu-west-1")
        .setEntity("arn:aws:iam::111122223333:user/alice")
        .setFirstSeen("2024-03-05T10:15:30Z")
        .setLastSeen("2024-03-05T10:15:30Z")
        .setCount(1)
        .setEventIds(List.of("3c0e2b6a-5e8a-4c36-9d2e-0f1b6d7e8a90"))
        .setCompliance(List.of("CIS-AWS 3.1", "PCI-DSS 10.2.6", "HIPAA 164.312(b)"))
        .setAttack(List.of("TA0005", "T1562.008"))
        .setDedupKey(
            "aws-cloudtrail-stop-logging|arn:aws:iam::111122223333:user/alice|1709633700000")
        .setDescription("Someone stopped a CloudTrail trail, which blinds audit.")
        .setEvidence(Map.of("eventName", "StopLogging", "requestParameters.name", "main"))
        .setUpdate(0)
        .setRuleAuthor("Vigil")
        .setSource(AlertSource.cloudtrail)
        .build();
  }

  /** The same alert after {@code update} more matching events. */
  public static Alert updated(Alert alert, int update) {
    return Alert.newBuilder(alert)
        .setUpdate(update)
        .setCount(alert.getCount() + update)
        .setLastSeen("2024-03-05T10:2" + Math.min(update, 9) + ":00Z")
        .build();
  }

  /** Alert number {@code n} of a rule with this severity; each has its own dedup key. */
  public static Alert numbered(int n, String ruleId, Severity severity) {
    return Alert.newBuilder(stopLogging())
        .setAlertId("a-" + n)
        .setRuleId(ruleId)
        .setSeverity(severity)
        .setEntity("203.0.113." + (n % 250))
        .setDedupKey(ruleId + "|203.0.113." + (n % 250) + "|" + n)
        .build();
  }

  /**
   * An alert of {@code ruleId} on {@code entity} seen from {@code first} to {@code last} (times of
   * 2024-03-05 as {@code HH:mm}), with this evidence; its own dedup key.
   */
  public static Alert on(
      String id,
      String ruleId,
      Severity severity,
      String entity,
      String first,
      String last,
      Map<String, String> evidence) {
    return Alert.newBuilder(stopLogging())
        .setAlertId(id)
        .setRuleId(ruleId)
        .setTitle(ruleId)
        .setSeverity(severity)
        .setEntity(entity)
        .setFirstSeen("2024-03-05T" + first + ":00Z")
        .setLastSeen("2024-03-05T" + last + ":00Z")
        .setEvidence(evidence)
        .setDedupKey(ruleId + "|" + entity + "|" + id)
        .build();
  }
}
