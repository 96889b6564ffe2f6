package io.vigil.sigma.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Walks a dotted path through a Jackson tree, flattening arrays on the way, and turns the nodes it
 * ends on into the plain values an {@link EventView} hands to matchers: for views of events that
 * are JSON, or have JSON parts.
 */
public final class JsonFieldResolver {

  private JsonFieldResolver() {}

  /**
   * Adds to {@code out} the values at segments {@code from..} of {@code path} below {@code node}.
   */
  public static void collect(JsonNode node, FieldPath path, int from, List<Object> out) {
    if (node == null || node.isMissingNode()) {
      return;
    }
    if (node.isArray()) {
      // A path through an array reaches into every element: any element may match.
      for (JsonNode element : node) {
        collect(element, path, from, out);
      }
      return;
    }
    if (from == path.size()) {
      out.add(leaf(node));
      return;
    }
    if (node.isObject()) {
      collect(node.get(path.segment(from)), path, from + 1, out);
    }
  }

  /** The plain value of a node at the end of a path. */
  public static Object leaf(JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    // Objects are compared as their JSON text, as a string search over the element.
    return node.toString();
  }
}
