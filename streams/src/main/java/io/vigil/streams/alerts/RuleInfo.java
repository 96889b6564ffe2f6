package io.vigil.streams.alerts;

import io.vigil.schemas.Severity;
import java.util.List;

/**
 * What an alert needs to know about the rule that raised it, whatever the rule language: looked up
 * when the alert is emitted, so that a rule's title or level fixed in a new release shows on the
 * next update of an open alert.
 */
public record RuleInfo(
    String id,
    String title,
    Severity severity,
    String description,
    List<String> tags,
    String author) {

  public RuleInfo {
    tags = List.copyOf(tags);
  }

  /**
   * What an alert of a rule no longer in the rule set carries (a rule removed while its alert was
   * open): the id as title, medium severity, no tags.
   */
  public static RuleInfo unknown(String ruleId) {
    return new RuleInfo(ruleId, ruleId, Severity.medium, null, List.of(), null);
  }
}
