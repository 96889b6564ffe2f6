package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A value as written in one configuration layer, before it is checked against a key's type.
 *
 * <p>The YAML file can supply lists and maps; the environment and flags only supply text. Types ask
 * for the shape they need and reject the rest, so "a map where a port was expected" is reported
 * instead of being silently stringified.
 */
sealed interface RawValue permits RawValue.Text, YamlValue {

  /** The structural shape of a raw value. */
  enum Shape {
    SCALAR("a single value"),
    LIST("a list"),
    MAP("a map"),
    NULL("nothing");

    private final String description;

    Shape(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  Shape shape();

  /** The text of a scalar; only valid when {@link #shape()} is {@link Shape#SCALAR}. */
  String text();

  /** The elements of a list; only valid when {@link #shape()} is {@link Shape#LIST}. */
  List<RawValue> items();

  /**
   * The entries of a map by name, in the order written; only valid when {@link #shape()} is {@link
   * Shape#MAP}.
   */
  Map<String, RawValue> entries() throws BadValueException;

  /** The value as an uninterpreted tree, for structured keys such as {@code sinks}. */
  JsonNode tree() throws BadValueException;

  /**
   * The 1-based line of the file where this value starts, so that each entry of a list or map can
   * be placed on its own line; 0 when it did not come from a file.
   */
  int line();

  /** Text from the environment or a flag. Blank text counts as "not set in this layer". */
  record Text(String value) implements RawValue {

    // YAML is a superset of JSON, so either may be used for a structure passed as one string.
    private static final YAMLMapper YAML = new YAMLMapper();

    @Override
    public Shape shape() {
      return value.isBlank() ? Shape.NULL : Shape.SCALAR;
    }

    @Override
    public String text() {
      return value;
    }

    @Override
    public List<RawValue> items() {
      throw new IllegalStateException("text is not a list");
    }

    @Override
    public Map<String, RawValue> entries() {
      throw new IllegalStateException("text is not a map");
    }

    @Override
    public int line() {
      return 0;
    }

    @Override
    public JsonNode tree() throws BadValueException {
      try {
        return YAML.readTree(value);
      } catch (IOException e) {
        throw new BadValueException("a YAML or JSON document", "text that does not parse", false);
      }
    }
  }
}
