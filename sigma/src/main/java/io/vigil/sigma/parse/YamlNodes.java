package io.vigil.sigma.parse;

import io.vigil.sigma.model.RuleLoadException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reading SnakeYAML's composed nodes, which keep the line of everything, while collecting the
 * problems of one rule document as {@link RuleLoadException}s at their lines.
 */
final class YamlNodes {

  private final String source;
  private final List<RuleLoadException> problems = new ArrayList<>();

  YamlNodes(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  List<RuleLoadException> problems() {
    return problems;
  }

  /** Records a problem at the node's line; returns null so callers can {@code return fail(...)}. */
  <T> T fail(Node at, String message) {
    problems.add(new RuleLoadException(source, line(at), message));
    return null;
  }

  static int line(Node node) {
    return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  /** The scalar's text as written (numbers and booleans too); null for a YAML null. */
  static String text(ScalarNode node) {
    return node.getTag().equals(Tag.NULL) ? null : node.getValue();
  }

  /** The value under {@code key} in a mapping, or null. */
  static Node get(MappingNode mapping, String key) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode scalar && key.equals(scalar.getValue())) {
        return tuple.getValueNode();
      }
    }
    return null;
  }

  /** Mapping keys must be distinct scalars; reports each offender and returns false if any. */
  boolean checkKeys(MappingNode mapping) {
    boolean ok = true;
    List<String> seen = new ArrayList<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key) || isNull(key)) {
        fail(tuple.getKeyNode(), "a mapping key must be a plain text");
        ok = false;
        continue;
      }
      if (seen.contains(key.getValue())) {
        fail(key, "duplicate key '" + key.getValue() + "'");
        ok = false;
      }
      seen.add(key.getValue());
    }
    return ok;
  }

  /** An optional scalar text; a problem when it is not a scalar. */
  String optionalText(MappingNode mapping, String key) {
    Node node = get(mapping, key);
    if (node == null || isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    return fail(node, "'" + key + "' must be a text");
  }

  /** A required non-empty scalar text. */
  String requiredText(MappingNode mapping, String key, Node parent) {
    Node node = get(mapping, key);
    if (node == null || isNull(node)) {
      return fail(parent, "'" + key + "' is missing");
    }
    if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
      return scalar.getValue().strip();
    }
    return fail(node, "'" + key + "' must be a non-empty text");
  }

  /** An optional list of texts; a single text counts as a list of one. */
  List<String> textList(MappingNode mapping, String key) {
    Node node = get(mapping, key);
    if (node == null || isNull(node)) {
      return List.of();
    }
    if (node instanceof ScalarNode scalar) {
      return List.of(scalar.getValue());
    }
    if (node instanceof SequenceNode sequence) {
      List<String> out = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (item instanceof ScalarNode scalar && !isNull(scalar)) {
          out.add(scalar.getValue());
        } else {
          fail(item, "'" + key + "' must be a list of texts");
        }
      }
      return out;
    }
    fail(node, "'" + key + "' must be a list of texts");
    return List.of();
  }
}
