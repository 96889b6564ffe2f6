package io.vigil.sigma.parse;

import io.vigil.sigma.match.DetectionNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a Sigma condition into a tree over the rule's compiled selections.
 *
 * <p>Grammar, loosest binding first: {@code or}, {@code and}, {@code not}, then parentheses,
 * selection names and the quantifiers {@code 1 of P}, {@code any of P}, {@code all of P}, {@code N
 * of P} where {@code P} is a selection name pattern with {@code *} or {@code them} (every selection
 * whose name does not start with {@code _}). Operators are case-insensitive. A name that is no
 * selection, a pattern that matches none, and the Sigma v1 aggregation ({@code | count() > N}) are
 * errors.
 */
final class ConditionParser {

  /** A condition that cannot be parsed, with the reason for a person. */
  static final class ConditionException extends Exception {
    private static final long serialVersionUID = 1L;

    ConditionException(String message) {
      super(message);
    }
  }

  private final Map<String, DetectionNode> selections;
  private final String condition;
  private List<String> tokens;
  private int position;

  private ConditionParser(Map<String, DetectionNode> selections, String condition) {
    this.selections = selections;
    this.condition = condition;
  }

  /** Parses {@code condition} against the named selections (in the order the rule gives them). */
  static DetectionNode parse(String condition, Map<String, DetectionNode> selections)
      throws ConditionException {
    return new ConditionParser(selections, condition).parse();
  }

  private DetectionNode parse() throws ConditionException {
    int pipe = condition.indexOf('|');
    if (pipe >= 0) {
      String aggregation = condition.substring(pipe).strip();
      String instead =
          aggregation.contains("near")
              ? "a Sigma correlation rule of type temporal (or temporal_ordered) with a timespan"
              : "a Sigma correlation rule of type event_count (value_count for count(field)) with"
                  + " timespan, group-by (for 'by field') and condition";
      throw new ConditionException(
          "the Sigma v1 aggregation '"
              + aggregation
              + "' in condition '"
              + condition
              + "' is not supported (SigmaHQ deprecated it);"
              + " write it as "
              + instead
              + ", referencing this rule");
    }
    tokens = tokenize(condition);
    if (tokens.isEmpty()) {
      throw new ConditionException("the condition is empty");
    }
    position = 0;
    DetectionNode node = orExpression();
    if (position < tokens.size()) {
      throw new ConditionException(
          "unexpected '" + tokens.get(position) + "' in condition '" + condition + "'");
    }
    return node;
  }

  private List<String> tokenize(String text) throws ConditionException {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        out.add(String.valueOf(c));
        i++;
      } else if (isNameChar(c)) {
        int start = i;
        while (i < text.length() && isNameChar(text.charAt(i))) {
          i++;
        }
        out.add(text.substring(start, i));
      } else {
        throw new ConditionException(
            "unexpected character '" + c + "' in condition '" + text + "'");
      }
    }
    return out;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '*' || c == '-' || c == '.';
  }

  private DetectionNode orExpression() throws ConditionException {
    List<DetectionNode> children = new ArrayList<>();
    children.add(andExpression());
    while (peekKeyword("or")) {
      position++;
      children.add(andExpression());
    }
    return children.size() == 1 ? children.get(0) : new DetectionNode.Or(children);
  }

  private DetectionNode andExpression() throws ConditionException {
    List<DetectionNode> children = new ArrayList<>();
    children.add(notExpression());
    while (peekKeyword("and")) {
      position++;
      children.add(notExpression());
    }
    return children.size() == 1 ? children.get(0) : new DetectionNode.And(children);
  }

  private DetectionNode notExpression() throws ConditionException {
    if (peekKeyword("not")) {
      position++;
      return new DetectionNode.Not(notExpression());
    }
    return primary();
  }

  private DetectionNode primary() throws ConditionException {
    if (position >= tokens.size()) {
      throw new ConditionException("condition '" + condition + "' ends too early");
    }
    String token = tokens.get(position++);
    if (token.equals("(")) {
      DetectionNode inner = orExpression();
      if (position >= tokens.size() || !tokens.get(position).equals(")")) {
        throw new ConditionException("missing ')' in condition '" + condition + "'");
      }
      position++;
      return inner;
    }
    if (token.equals(")")) {
      throw new ConditionException("unexpected ')' in condition '" + condition + "'");
    }
    if (peekKeyword("of")) {
      position++;
      return quantifier(token);
    }
    String lower = token.toLowerCase(Locale.ROOT);
    if (lower.equals("and") || lower.equals("or") || lower.equals("not") || lower.equals("of")) {
      throw new ConditionException(
          "'" + token + "' where a selection was expected in condition '" + condition + "'");
    }
    DetectionNode selection = selections.get(token);
    if (selection == null) {
      throw new ConditionException(
          "condition '"
              + condition
              + "' names '"
              + token
              + "', which is no selection of this rule (selections: "
              + String.join(", ", selections.keySet())
              + ")");
    }
    return selection;
  }

  private DetectionNode quantifier(String count) throws ConditionException {
    if (position >= tokens.size()) {
      throw new ConditionException("'" + count + " of' needs a selection pattern or 'them'");
    }
    String target = tokens.get(position++);
    List<DetectionNode> matched = new ArrayList<>();
    if (target.equalsIgnoreCase("them")) {
      selections.forEach(
          (name, node) -> {
            if (!name.startsWith("_")) {
              matched.add(node);
            }
          });
    } else {
      Pattern pattern = namePattern(target);
      selections.forEach(
          (name, node) -> {
            if (pattern.matcher(name).matches()) {
              matched.add(node);
            }
          });
    }
    if (matched.isEmpty()) {
      throw new ConditionException(
          "'"
              + count
              + " of "
              + target
              + "' in condition '"
              + condition
              + "' matches no selection (selections: "
              + String.join(", ", selections.keySet())
              + ")");
    }
    String lower = count.toLowerCase(Locale.ROOT);
    if (lower.equals("all")) {
      return matched.size() == 1 ? matched.get(0) : new DetectionNode.And(matched);
    }
    if (lower.equals("any") || lower.equals("1")) {
      return matched.size() == 1 ? matched.get(0) : new DetectionNode.Or(matched);
    }
    if (!lower.chars().allMatch(Character::isDigit) || lower.length() > 6) {
      throw new ConditionException("'" + count + " of' needs 1, any, all or a number");
    }
    int atLeast = Integer.parseInt(lower);
    if (atLeast == 0) {
      throw new ConditionException("'0 of' in condition '" + condition + "' is always true");
    }
    return new DetectionNode.AtLeast(atLeast, matched);
  }

  private static Pattern namePattern(String glob) {
    String[] pieces = glob.split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pieces.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      if (!pieces[i].isEmpty()) {
        regex.append(Pattern.quote(pieces[i]));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private boolean peekKeyword(String keyword) {
    return position < tokens.size() && tokens.get(position).equalsIgnoreCase(keyword);
  }
}
