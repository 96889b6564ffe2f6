package io.vigil.sinks.delivery;

import java.util.List;
import java.util.regex.Pattern;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;

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
    this.include = rules.stream().map(AlertFilter::glob).toList();
    this.exclude = excludeRules.stream().map(AlertFilter::glob).toList();
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

  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString());
  }
}
