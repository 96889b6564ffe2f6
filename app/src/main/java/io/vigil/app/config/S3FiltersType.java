package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vigil.ingest.s3.S3KeyFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The type of {@code ingest.s3.filters}: a list of {@code {log_type, prefix, suffix}}, each with a
 * {@code log_type}; every bad entry is reported at once, on its own line.
 */
final class S3FiltersType extends ConfigType<List<S3KeyFilter>> {

  private static final String EXPECTED = "a list of {log_type, prefix, suffix}";

  S3FiltersType() {
    super("list of {log_type, prefix, suffix}");
  }

  @Override
  List<S3KeyFilter> parse(RawValue raw) throws BadValueException {
    return parse(raw, ValueContext.outsideLoad("ingest.s3.filters"));
  }

  @Override
  List<S3KeyFilter> parse(RawValue raw, ValueContext context) throws BadValueException {
    JsonNode tree = raw.tree();
    if (!tree.isArray()) {
      throw new BadValueException(EXPECTED, Structures.shapeOf(tree), false);
    }
    List<RawValue> items = raw.shape() == RawValue.Shape.LIST ? raw.items() : List.of();
    List<S3KeyFilter> filters = new ArrayList<>();
    List<BadValueException.Located> problems = new ArrayList<>();
    for (int i = 0; i < tree.size(); i++) {
      JsonNode entry = tree.get(i);
      if (!entry.isObject() || !entry.hasNonNull("log_type")) {
        problems.add(
            new BadValueException.Located(
                context.key() + "[" + i + "]: expected {log_type, prefix, suffix} with a log_type",
                context.originAt(i < items.size() ? items.get(i).line() : 0)));
        continue;
      }
      filters.add(
          new S3KeyFilter(
              entry.get("log_type").asText(),
              entry.path("prefix").asText(""),
              entry.path("suffix").asText("")));
    }
    if (!problems.isEmpty()) {
      throw BadValueException.located(problems);
    }
    return List.copyOf(filters);
  }

  @Override
  public String format(List<S3KeyFilter> value) {
    ArrayNode json = JsonNodeFactory.instance.arrayNode();
    value.forEach(
        filter ->
            json.addObject()
                .put("log_type", filter.logType())
                .put("prefix", filter.prefix())
                .put("suffix", filter.suffix()));
    return json.toString();
  }
}
