package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A value from the YAML file, kept as SnakeYAML's composed node.
 *
 * <p>Scalars keep the text as written ({@code 010} stays "010", {@code yes} stays "yes") so that
 * each config type applies its own rules instead of YAML 1.1's implicit typing.
 */
record YamlValue(Node node) implements RawValue {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public Shape shape() {
    if (node instanceof SequenceNode) {
      return Shape.LIST;
    }
    if (node instanceof MappingNode) {
      return Shape.MAP;
    }
    return Tag.NULL.equals(node.getTag()) ? Shape.NULL : Shape.SCALAR;
  }

  @Override
  public String text() {
    return ((ScalarNode) node).getValue();
  }

  @Override
  public List<RawValue> items() {
    return ((SequenceNode) node).getValue().stream().<RawValue>map(YamlValue::new).toList();
  }

  @Override
  public Map<String, RawValue> entries() throws BadValueException {
    Map<String, RawValue> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        throw new BadValueException("map keys that are plain names", "a complex map key", false);
      }
      entries.put(key.getValue(), new YamlValue(tuple.getValueNode()));
    }
    return entries;
  }

  @Override
  public JsonNode tree() throws BadValueException {
    return toJson(node);
  }

  @Override
  public int line() {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  // A structure is handed on for later binding (e.g. with Jackson's treeToValue), so here the
  // YAML tags do matter: a number stays a number and a boolean a boolean.
  private static JsonNode toJson(Node node) throws BadValueException {
    if (node instanceof MappingNode mapping) {
      ObjectNode object = JSON.objectNode();
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          throw new BadValueException("map keys that are plain names", "a complex map key", false);
        }
        object.set(key.getValue(), toJson(tuple.getValueNode()));
      }
      return object;
    }
    if (node instanceof SequenceNode sequence) {
      ArrayNode array = JSON.arrayNode();
      for (Node item : sequence.getValue()) {
        array.add(toJson(item));
      }
      return array;
    }
    String text = ((ScalarNode) node).getValue();
    Tag tag = node.getTag();
    try {
      if (Tag.NULL.equals(tag)) {
        return JSON.nullNode();
      }
      if (Tag.BOOL.equals(tag)) {
        return JSON.booleanNode(Boolean.parseBoolean(text));
      }
      if (Tag.INT.equals(tag)) {
        return integer(new BigInteger(text.replace("_", "")));
      }
      if (Tag.FLOAT.equals(tag)) {
        return JSON.numberNode(Double.parseDouble(text.replace("_", "")));
      }
    } catch (NumberFormatException e) {
      // YAML 1.1 also allows forms such as 0x1F or 1:30; keep those as text rather than guess.
    }
    return JSON.textNode(text);
  }

  // The narrowest node, so that isInt()/asInt() behave as for JSON read by Jackson itself.
  private static JsonNode integer(BigInteger value) {
    if (value.bitLength() < Integer.SIZE) {
      return JSON.numberNode(value.intValue());
    }
    return value.bitLength() < Long.SIZE
        ? JSON.numberNode(value.longValue())
        : JSON.numberNode(value);
  }
}
