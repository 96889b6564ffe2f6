package io.vigil.sigma.parse;

import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.FieldPath;
import io.vigil.sigma.match.DetectionNode;
import io.vigil.sigma.match.ExistsMatcher;
import io.vigil.sigma.match.FieldMatcher;
import io.vigil.sigma.match.FieldRefMatcher;
import io.vigil.sigma.match.SigmaString;
import io.vigil.sigma.match.ValueMatcher;
import io.vigil.sigma.parse.Modifier.Role;
import io.vigil.sigma.parse.RuleValue.InvalidValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Compiles one named selection of a detection into matchers: a mapping is the AND of its fields, a
 * list of mappings the OR of them, a list of plain values a keyword search. Each {@code
 * field|modifier|...} entry becomes a {@link FieldMatcher} (or an exists / fieldref matcher) with
 * everything precomputed.
 */
final class SelectionCompiler {

  private static final Pattern PLACEHOLDER = Pattern.compile("%([A-Za-z0-9_.\\-]+)%");

  private final YamlNodes yaml;
  private final Map<String, List<String>> placeholders;
  private final DerivedFields derived;

  SelectionCompiler(YamlNodes yaml, Map<String, List<String>> placeholders, DerivedFields derived) {
    this.yaml = yaml;
    this.placeholders = placeholders;
    this.derived = derived;
  }

  /** The selection's matcher, or null after reporting its problems. */
  DetectionNode compile(String name, Node value) {
    if (value instanceof MappingNode mapping) {
      return fieldsOf(mapping);
    }
    if (value instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      if (items.isEmpty()) {
        return yaml.fail(value, "selection '" + name + "' is an empty list");
      }
      if (items.stream().allMatch(MappingNode.class::isInstance)) {
        List<DetectionNode> alternatives = new ArrayList<>();
        for (Node item : items) {
          DetectionNode node = fieldsOf((MappingNode) item);
          if (node == null) {
            return null;
          }
          alternatives.add(node);
        }
        return alternatives.size() == 1 ? alternatives.get(0) : new DetectionNode.Or(alternatives);
      }
      if (items.stream().allMatch(ScalarNode.class::isInstance)) {
        return keywords(sequence, items);
      }
      return yaml.fail(
          value, "selection '" + name + "' mixes field maps and plain values in one list");
    }
    if (value instanceof ScalarNode scalar && !YamlNodes.isNull(scalar)) {
      return keywords(scalar, List.of(scalar));
    }
    return yaml.fail(
        value,
        "selection '"
            + name
            + "' must be a map of fields, a list of maps"
            + " or a list of keywords");
  }

  /** A keyword list: full-text search over the raw event, each keyword anywhere in it. */
  private DetectionNode keywords(Node at, List<Node> items) {
    List<ValueMatcher> matchers = new ArrayList<>();
    for (Node item : items) {
      String text = YamlNodes.text((ScalarNode) item);
      if (text == null) {
        return yaml.fail(item, "a keyword cannot be null");
      }
      matchers.add(
          ValueMatcher.of(SigmaString.parse(text).withLeadingStar().withTrailingStar(), false));
    }
    return new FieldMatcher(null, derived, matchers, false, false);
  }

  private DetectionNode fieldsOf(MappingNode mapping) {
    if (!yaml.checkKeys(mapping)) {
      return null;
    }
    if (mapping.getValue().isEmpty()) {
      return yaml.fail(mapping, "a selection map has no fields");
    }
    List<DetectionNode> fields = new ArrayList<>();
    boolean ok = true;
    for (NodeTuple tuple : mapping.getValue()) {
      DetectionNode field = field((ScalarNode) tuple.getKeyNode(), tuple.getValueNode());
      if (field == null) {
        ok = false;
      } else {
        fields.add(field);
      }
    }
    if (!ok) {
      return null;
    }
    // Every field of a map must hold: an AND over all of them, never only the last one.
    return fields.size() == 1 ? fields.get(0) : new DetectionNode.And(fields);
  }

  private DetectionNode field(ScalarNode keyNode, Node valueNode) {
    String key = keyNode.getValue();
    String[] pieces = key.split("\\|", -1);
    String fieldName = pieces[0].strip();
    List<Modifier> modifiers = new ArrayList<>();
    for (int i = 1; i < pieces.length; i++) {
      String spelling = pieces[i].strip();
      Modifier modifier = Modifier.named(spelling).orElse(null);
      if (modifier == null) {
        return yaml.fail(
            keyNode,
            "unknown modifier '"
                + spelling
                + "' in '"
                + key
                + "' (known: "
                + Modifier.known()
                + ")");
      }
      if (modifiers.contains(modifier)) {
        return yaml.fail(keyNode, "modifier '" + spelling + "' is given twice in '" + key + "'");
      }
      modifiers.add(modifier);
    }
    FieldPath path = null;
    if (!fieldName.isEmpty()) {
      try {
        path = FieldPath.of(fieldName);
      } catch (IllegalArgumentException e) {
        return yaml.fail(keyNode, e.getMessage());
      }
      if (DerivedFields.inNamespace(path) && !derived.contains(path)) {
        return yaml.fail(
            keyNode,
            "unknown derived field '"
                + fieldName
                + "'; "
                + (derived.names().isEmpty()
                    ? "this rule loader knows no derived fields"
                    : "Vigil derives " + derived.names()));
      }
    }
    if (!checkCombination(keyNode, key, modifiers, path)) {
      return null;
    }
    List<ScalarNode> valueNodes = scalars(valueNode, key);
    if (valueNodes == null) {
      return null;
    }
    boolean all = modifiers.contains(Modifier.ALL);
    boolean nullMatches = false;
    List<String> raws = new ArrayList<>();
    for (ScalarNode node : valueNodes) {
      String raw = YamlNodes.text(node);
      if (raw == null) {
        nullMatches = true;
      } else {
        raws.add(raw);
      }
    }
    if (nullMatches && modifiers.stream().anyMatch(Modifier::isKind)) {
      return yaml.fail(valueNode, "'" + key + "' cannot take a null value");
    }
    if (modifiers.contains(Modifier.EXISTS)) {
      if (raws.size() != 1
          || !(raws.get(0).equalsIgnoreCase("true") || raws.get(0).equalsIgnoreCase("false"))) {
        return yaml.fail(valueNode, "'" + key + "' needs true or false");
      }
      return new ExistsMatcher(
          path, derived, Boolean.parseBoolean(raws.get(0).toLowerCase(Locale.ROOT)));
    }
    if (modifiers.contains(Modifier.FIELDREF)) {
      List<FieldPath> references = new ArrayList<>();
      for (String raw : raws) {
        try {
          references.add(FieldPath.of(raw.strip()));
        } catch (IllegalArgumentException e) {
          return yaml.fail(valueNode, "'" + key + "': " + e.getMessage());
        }
      }
      UnaryOperator<SigmaString> position =
          modifiers.stream()
              .filter(m -> m.role() == Role.POSITION)
              .findFirst()
              .map(Modifier::position)
              .orElse(UnaryOperator.identity());
      return new FieldRefMatcher(
          path, references, position, modifiers.contains(Modifier.CASED), all, derived);
    }
    if (modifiers.contains(Modifier.EXPAND)) {
      List<String> expanded = new ArrayList<>();
      for (String raw : raws) {
        List<String> values = expand(raw, valueNode, key);
        if (values == null) {
          return null;
        }
        expanded.addAll(values);
      }
      // A placeholder stands for any of its values, whatever |all says about the list.
      raws = expanded;
      all = false;
    }
    List<ValueMatcher> matchers = new ArrayList<>();
    for (String raw : raws) {
      ValueMatcher matcher = value(raw, modifiers, valueNode, key);
      if (matcher == null) {
        return null;
      }
      matchers.add(matcher);
    }
    return new FieldMatcher(path, derived, matchers, all, nullMatches);
  }

  private boolean checkCombination(
      ScalarNode at, String key, List<Modifier> modifiers, FieldPath path) {
    long kinds = modifiers.stream().filter(Modifier::isKind).count();
    long positions = count(modifiers, Role.POSITION);
    if (kinds > 1) {
      yaml.fail(at, "'" + key + "' combines modifiers that exclude each other");
      return false;
    }
    if (positions > 1) {
      yaml.fail(at, "'" + key + "' combines more than one of contains, startswith, endswith");
      return false;
    }
    boolean regex = modifiers.contains(Modifier.RE);
    if (!regex && count(modifiers, Role.REGEX_FLAG) > 0) {
      yaml.fail(at, "'" + key + "': the i, m and s modifiers only go with re");
      return false;
    }
    boolean typed = count(modifiers, Role.TYPE) > 0;
    if (typed && (positions > 0 || count(modifiers, Role.ENCODING) > 0)) {
      yaml.fail(
          at,
          "'"
              + key
              + "': contains/startswith/endswith and encodings do not combine"
              + " with re, cidr, exists or numeric comparisons");
      return false;
    }
    if (modifiers.contains(Modifier.CASED) && typed) {
      yaml.fail(at, "'" + key + "': cased only applies to string matching");
      return false;
    }
    if (modifiers.contains(Modifier.FIELDREF) && count(modifiers, Role.ENCODING) > 0) {
      yaml.fail(at, "'" + key + "': fieldref does not combine with encodings");
      return false;
    }
    if (path == null
        && (modifiers.contains(Modifier.EXISTS) || modifiers.contains(Modifier.FIELDREF))) {
      yaml.fail(at, "'" + key + "' needs a field name");
      return false;
    }
    return true;
  }

  private static long count(List<Modifier> modifiers, Role role) {
    return modifiers.stream().filter(m -> m.role() == role).count();
  }

  private List<ScalarNode> scalars(Node valueNode, String key) {
    if (valueNode instanceof ScalarNode scalar) {
      return List.of(scalar);
    }
    if (valueNode instanceof SequenceNode sequence) {
      if (sequence.getValue().isEmpty()) {
        return yaml.fail(valueNode, "'" + key + "' has an empty list of values");
      }
      List<ScalarNode> out = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (!(item instanceof ScalarNode scalar)) {
          return yaml.fail(item, "'" + key + "' values must be plain values, not maps or lists");
        }
        out.add(scalar);
      }
      return out;
    }
    return yaml.fail(valueNode, "'" + key + "' values must be plain values, not a map");
  }

  private List<String> expand(String raw, Node at, String key) {
    List<String> results = List.of(raw);
    Matcher matcher = PLACEHOLDER.matcher(raw);
    boolean any = false;
    while (matcher.find()) {
      any = true;
      String name = matcher.group(1);
      List<String> values = placeholders.get(name);
      if (values == null) {
        return yaml.fail(
            at,
            "'"
                + key
                + "' uses placeholder %"
                + name
                + "%, which has no values"
                + " configured (give the placeholder a list of values in the configuration)");
      }
      String token = matcher.group();
      List<String> next = new ArrayList<>();
      for (String partial : results) {
        for (String value : values) {
          next.add(partial.replace(token, value));
        }
      }
      results = next;
    }
    if (!any) {
      return yaml.fail(
          at, "'" + key + "' has the expand modifier but '" + raw + "' contains no %placeholder%");
    }
    return results;
  }

  private ValueMatcher value(String raw, List<Modifier> modifiers, Node at, String key) {
    try {
      Modifier type =
          modifiers.stream().filter(m -> m.role() == Role.TYPE).findFirst().orElse(null);
      if (type != null) {
        int flags = modifiers.stream().mapToInt(Modifier::regexFlags).reduce(0, (a, b) -> a | b);
        return type.typed(raw, flags, key);
      }
      RuleValue value = new RuleValue(raw, key);
      for (Modifier modifier : modifiers) {
        modifier.apply(value);
      }
      return value.matcher(modifiers.contains(Modifier.CASED));
    } catch (InvalidValue e) {
      return yaml.fail(at, e.getMessage());
    }
  }
}
