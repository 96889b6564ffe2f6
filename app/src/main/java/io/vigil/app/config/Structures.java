package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;

/** Wording shared by the structured types' messages. */
final class Structures {

  private Structures() {}

  /** What a part of a structured value is, as a message puts it: "a list", "a map", ... */
  static String shapeOf(JsonNode node) {
    if (node.isArray()) {
      return RawValue.Shape.LIST.description();
    }
    if (node.isObject()) {
      return RawValue.Shape.MAP.description();
    }
    return node.isNull() || node.isMissingNode()
        ? RawValue.Shape.NULL.description()
        : RawValue.Shape.SCALAR.description();
  }
}
