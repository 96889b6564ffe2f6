package io.vigil.sinks.delivery;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which alerts a sink takes: at least {@code minSeverity}; when {@code rules} is not empty, a rule
 * id matching one of its globs; and a rule id matching none of {@code excludeRules}. Globs know
 * {@code *} (any run of characters) and {@code ?} (one character); everything else is literal.
 */
public final class AlertFilter {

  private final Severity minSeverity;
  private final List<Pattern> include;
  private final List<Pattern> exclude;

  public AlertFilter(Severity minSeverity, List<String> rules, List<String> excludeRules) {
    this.minSeverity = minSeverity;
    this.include = rules.stream().map(Glob::compile).toList();
    this.exclude = excludeRules.stream().map(Glob::compile).toList();
  }

  public boolean accepts(Alert alert) {
    if (alert.getSeverity().ordinal() < minSeverity.ordinal()) {
      return false;
    }
    String rule = alert.getRuleId();
    if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(rule).matches())) {
      return false;
    }
    return exclude.stream().noneMatch(p -> p.matcher(rule).matches());
  }
}
