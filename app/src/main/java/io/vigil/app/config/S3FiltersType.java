package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vigil.ingest.s3.S3KeyFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The type of {@code ingest.s3.filters}: a list of {@code {log_type, prefix, suffix}}, each field
 * optional but not all absent. {@code log_type}, when given, is one of {@link
 * S3KeyFilter#LOG_TYPES} and narrows the entry to keys of that type where the key's layout tells
 * (the decoder itself recognises every object by content, so it is never needed to read one);
 * {@code prefix} is a key prefix (no {@code s3://}, no leading {@code /}). Every bad entry is
 * reported at once, on its own line.
 */
final class S3FiltersType extends ConfigType<List<S3KeyFilter>> {

  private static final String EXPECTED = "a list of {log_type, prefix, suffix}";
  private static final List<String> FIELDS = List.of("log_type", "prefix", "suffix");

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
      String entryName = context.key() + "[" + i + "]";
      Origin origin = context.originAt(i < items.size() ? items.get(i).line() : 0);
      List<String> entryProblems = new ArrayList<>();
      S3KeyFilter filter = entry(tree.get(i), entryProblems);
      entryProblems.forEach(
          problem ->
              problems.add(new BadValueException.Located(entryName + ": " + problem, origin)));
      if (filter != null) {
        filters.add(filter);
      }
    }
    if (!problems.isEmpty()) {
      throw BadValueException.located(problems);
    }
    return List.copyOf(filters);
  }

  /** The filter an entry describes, or null with its problems added to {@code problems}. */
  private static S3KeyFilter entry(JsonNode entry, List<String> problems) {
    if (!entry.isObject()) {
      problems.add("expected {log_type, prefix, suffix}, got " + Structures.shapeOf(entry));
      return null;
    }
    entry
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!FIELDS.contains(name)) {
                problems.add(
                    "unknown field '"
                        + name
                        + "'"
                        + Suggestions.closest(name, FIELDS)
                            .map(s -> " (did you mean " + s + "?)")
                            .orElse("")
                        + "; the fields are "
                        + String.join(", ", FIELDS));
              }
            });
    String logType = text(entry, "log_type", problems);
    String prefix = text(entry, "prefix", problems);
    String suffix = text(entry, "suffix", problems);
    if (logType != null && !S3KeyFilter.LOG_TYPES.contains(logType)) {
      problems.add(
          "log_type: unknown log type '"
              + logType
              + "'"
              + Suggestions.closest(logType, S3KeyFilter.LOG_TYPES)
                  .map(s -> " (did you mean " + s + "?)")
                  .orElse("")
              + "; expected one of "
              + String.join(", ", S3KeyFilter.LOG_TYPES)
              + ", or no log_type for keys of any type");
    }
    if (prefix != null && prefix.regionMatches(true, 0, "s3://", 0, 5)) {
      problems.add(
          "prefix: expected a key prefix inside the bucket (e.g. AWSLogs/), got the URI '"
              + prefix
              + "'");
    } else if (prefix != null && prefix.startsWith("/")) {
      problems.add(
          "prefix: '" + prefix + "' starts with '/', which S3 keys of AWS's logs never do");
    }
    if (problems.isEmpty()
        && (logType == null || logType.isEmpty())
        && (prefix == null || prefix.isEmpty())
        && (suffix == null || suffix.isEmpty())) {
      problems.add(
          "an empty filter takes every key; give a log_type, a prefix or a suffix"
              + " (or leave ingest.s3.filters unset)");
    }
    return problems.isEmpty()
        ? new S3KeyFilter(logType == null || logType.isEmpty() ? null : logType, prefix, suffix)
        : null;
  }

  /** A field's text: null when absent or null, a problem when it is a list or a map. */
  private static String text(JsonNode entry, String field, List<String> problems) {
    JsonNode value = entry.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      problems.add(field + ": expected text, got " + Structures.shapeOf(value));
      return null;
    }
    return value.asText();
  }

  @Override
  public String format(List<S3KeyFilter> value) {
    ArrayNode json = JsonNodeFactory.instance.arrayNode();
    value.forEach(
        filter -> {
          var entry = json.addObject();
          if (filter.logType() != null) {
            entry.put("log_type", filter.logType());
          }
          entry.put("prefix", filter.prefix()).put("suffix", filter.suffix());
        });
    return json.toString();
  }
}
