package io.vigil.schemas;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What links an alert to others into one incident: its principal, access key, resource or source
 * address (the entity, and those evidence fields beside it). The API's incidents and a sink that
 * pages per incident group alerts by these.
 */
public final class AlertPivots {

  /** Evidence fields whose values are pivots beside the entity, with what each one is. */
  private static final Map<String, String> PIVOT_FIELDS =
      Map.of(
          "userIdentity.arn", "principal",
          "userIdentity.accessKeyId", "access key",
          "sourceIPAddress", "source address",
          "srcaddr", "source address");

  // A CloudTrail sourceIPAddress is often an AWS service's name: not an address that links alerts.
  private static final Pattern ADDRESS = Pattern.compile("[0-9.]+|[0-9a-fA-F:]+:[0-9a-fA-F:.]*");

  private AlertPivots() {}

  /** An alert's pivots: value -> what it is ({@code principal}, {@code access key}, ...). */
  public static Map<String, String> of(Alert alert) {
    Map<String, String> pivots = new LinkedHashMap<>();
    String entity = alert.getEntity();
    if (entity != null && !entity.isEmpty() && !entity.equals("unknown")) {
      String kind = kindOf(entity);
      pivots.put(entity, kind);
      // A posture alert names a resource by its ARN, a threat alert often by its id or name
      // (sg-0a1b..., a bucket): the resource also pivots by the last part of its ARN.
      if (kind.equals("resource") && entity.startsWith("arn:")) {
        String id =
            entity.substring(Math.max(entity.lastIndexOf('/'), entity.lastIndexOf(':')) + 1);
        if (!id.isEmpty()) {
          pivots.putIfAbsent(id, kind);
        }
      }
    }
    PIVOT_FIELDS.forEach(
        (field, kind) -> {
          String value = alert.getEvidence().get(field);
          if (value != null
              && !value.isEmpty()
              && (!kind.equals("source address") || ADDRESS.matcher(value).matches())) {
            pivots.putIfAbsent(value, kind);
          }
        });
    return pivots;
  }

  private static String kindOf(String entity) {
    if (entity.startsWith("arn:aws:iam:") || entity.startsWith("arn:aws:sts:")) {
      return "principal";
    }
    if (entity.startsWith("AKIA") || entity.startsWith("ASIA")) {
      return "access key";
    }
    return ADDRESS.matcher(entity).matches() ? "source address" : "resource";
  }
}
