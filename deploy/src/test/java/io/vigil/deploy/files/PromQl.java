package io.vigil.deploy.files;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PromQL expression (an alert rule's or a Grafana panel's) asks Prometheus for: the metric
 * names with their label matchers, the labels it groups by, and the labels {@code label_replace}
 * makes. Enough of the grammar for checking names against what Vigil exports, not an evaluator.
 */
final class PromQl {

  /** A label matcher of a selector: {@code area="heap"}, {@code client_id=~".+-consumer"}. */
  record LabelMatcher(String label, String op, String value) {}

  /** One vector selector: a metric name and its matchers. */
  record Selector(String metric, List<LabelMatcher> matchers) {}

  /**
   * {@code label_replace(v, dst, replacement, src, regex)}: the label made and where it comes from.
   */
  record LabelReplace(String destination, String source, String regex) {}

  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "atan2");
  // Aggregations may put their grouping before the parenthesis: sum by (x) (...).
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Set<String> GROUPING =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Pattern LABEL_REPLACE =
      Pattern.compile(
          "\"([a-zA-Z_][a-zA-Z0-9_]*)\"\\s*,\\s*\"[^\"]*\"\\s*,\\s*\"([a-zA-Z_][a-zA-Z0-9_]*)\"\\s*,"
              + "\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)");

  private final List<Selector> selectors = new ArrayList<>();
  private final Set<String> groupingLabels = new LinkedHashSet<>();
  private final List<LabelReplace> labelReplaces = new ArrayList<>();

  private PromQl() {}

  /**
   * Parses {@code expression}; Grafana's {@code $__rate_interval} and other variables are allowed.
   */
  static PromQl parse(String expression) {
    PromQl q = new PromQl();
    // Grafana variables: durations become a duration, anything else disappears.
    String expr =
        expression
            .replace("$__rate_interval", "5m")
            .replace("$__interval", "1m")
            .replaceAll("\\$\\{[^}]*}|\\$[a-zA-Z_]+", "");
    Matcher replace = LABEL_REPLACE.matcher(expr);
    while (replace.find()) {
      q.labelReplaces.add(
          new LabelReplace(
              replace.group(1), replace.group(2), replace.group(3).replace("\\\\", "\\")));
    }
    List<String> tokens = tokenize(expr);
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (!isIdentifier(token)) {
        continue;
      }
      String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
      if (GROUPING.contains(token) && next.equals("(")) {
        int j = i + 2;
        for (; j < tokens.size() && !tokens.get(j).equals(")"); j++) {
          if (isIdentifier(tokens.get(j))) {
            q.groupingLabels.add(tokens.get(j));
          }
        }
        i = j;
      } else if (KEYWORDS.contains(token)
          || next.equals("(")
          || (AGGREGATIONS.contains(token) && (next.equals("by") || next.equals("without")))) {
        continue; // an operator keyword, or a function or aggregation
      } else {
        List<LabelMatcher> matchers = new ArrayList<>();
        if (next.equals("{")) {
          int j = i + 2;
          for (; j + 2 < tokens.size() && !tokens.get(j).equals("}"); j++) {
            if (isIdentifier(tokens.get(j))) {
              matchers.add(
                  new LabelMatcher(tokens.get(j), tokens.get(j + 1), unquote(tokens.get(j + 2))));
              j += 2;
            }
          }
          i = j;
        }
        q.selectors.add(new Selector(token, matchers));
      }
    }
    return q;
  }

  List<Selector> selectors() {
    return selectors;
  }

  Set<String> metricNames() {
    Set<String> names = new LinkedHashSet<>();
    selectors.forEach(s -> names.add(s.metric()));
    return names;
  }

  Set<String> groupingLabels() {
    return groupingLabels;
  }

  List<LabelReplace> labelReplaces() {
    return labelReplaces;
  }

  // Strings, [durations], numbers, identifiers, matcher operators and single-character punctuation.
  private static List<String> tokenize(String expr) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"' || c == '\'' || c == '`') {
        int j = i + 1;
        while (j < expr.length() && expr.charAt(j) != c) {
          j += expr.charAt(j) == '\\' && c != '`' ? 2 : 1;
        }
        tokens.add(expr.substring(i, Math.min(j + 1, expr.length())));
        i = j + 1;
      } else if (c == '[') {
        i = expr.indexOf(']', i) + 1; // a range or subquery duration, never a name
        if (i == 0) {
          throw new IllegalArgumentException("unclosed [ in " + expr);
        }
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < expr.length() && Character.isDigit(expr.charAt(i + 1)))) {
        int j = i + 1;
        while (j < expr.length()
            && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '.')) {
          j++;
        }
        tokens.add(expr.substring(i, j));
        i = j;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int j = i + 1;
        while (j < expr.length()
            && (Character.isLetterOrDigit(expr.charAt(j))
                || expr.charAt(j) == '_'
                || expr.charAt(j) == ':')) {
          j++;
        }
        tokens.add(expr.substring(i, j));
        i = j;
      } else if ((c == '=' || c == '!')
          && i + 1 < expr.length()
          && (expr.charAt(i + 1) == '~' || expr.charAt(i + 1) == '=')) {
        tokens.add(expr.substring(i, i + 2));
        i += 2;
      } else {
        tokens.add(String.valueOf(c));
        i++;
      }
    }
    return tokens;
  }

  private static boolean isIdentifier(String token) {
    char c = token.charAt(0);
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static String unquote(String token) {
    if (token.length() >= 2
        && (token.charAt(0) == '"' || token.charAt(0) == '\'' || token.charAt(0) == '`')) {
      String inner = token.substring(1, token.length() - 1);
      return token.charAt(0) == '`'
          ? inner
          : inner.replace("\\\\", "\u0000").replace("\\\"", "\"").replace("\u0000", "\\");
    }
    return token;
  }
}
