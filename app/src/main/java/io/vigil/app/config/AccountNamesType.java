package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The type of {@code accounts.names}: a map of AWS account id to a readable name, e.g. {@code
 * {"111122223333": prod}}, in the order written. Every entry whose name is not a single value is
 * reported at once, each on its own line.
 */
final class AccountNamesType extends ConfigType<Map<String, String>> {

  private static final String EXPECTED = "a map of account id to name";

  AccountNamesType() {
    super("map of account id to name");
  }

  @Override
  Map<String, String> parse(RawValue raw) throws BadValueException {
    return parse(raw, ValueContext.outsideLoad("accounts.names"));
  }

  @Override
  Map<String, String> parse(RawValue raw, ValueContext context) throws BadValueException {
    JsonNode tree = raw.tree();
    if (!tree.isObject()) {
      throw new BadValueException(EXPECTED, Structures.shapeOf(tree), false);
    }
    Map<String, Integer> lines = new LinkedHashMap<>();
    if (raw.shape() == RawValue.Shape.MAP) {
      raw.entries().forEach((id, value) -> lines.put(id, value.line()));
    }
    Map<String, String> names = new LinkedHashMap<>();
    List<BadValueException.Located> problems = new ArrayList<>();
    tree.fields()
        .forEachRemaining(
            entry -> {
              if (entry.getValue().isValueNode()) {
                names.put(entry.getKey(), entry.getValue().asText());
              } else {
                problems.add(
                    new BadValueException.Located(
                        context.key()
                            + "."
                            + entry.getKey()
                            + ": expected a name, got "
                            + Structures.shapeOf(entry.getValue()),
                        context.originAt(lines.getOrDefault(entry.getKey(), 0))));
              }
            });
    if (!problems.isEmpty()) {
      throw BadValueException.located(problems);
    }
    return Collections.unmodifiableMap(names);
  }

  @Override
  public String format(Map<String, String> value) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    value.forEach(json::put);
    return json.toString();
  }
}
