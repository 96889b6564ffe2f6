package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sinks.Secret;
import io.vigil.sinks.SinkConfigException;
import io.vigil.sinks.SinkDefinitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The type of the {@code sinks} key: a list of sink entries (docs/sinks.md), checked at load by the
 * sinks' own rules ({@link SinkDefinitions#check}) with the environment the configuration is loaded
 * with for {@code ${NAME}} references. Each problem is placed on the line of its entry; an unset
 * variable is deferred to the processes that run the sinks (see {@link ConfiguredSinks}).
 */
final class SinkListType extends ConfigType<ConfiguredSinks> {

  // A value that only refers to the environment shows where a secret comes from, not the secret.
  private static final Pattern ONLY_REFERENCES =
      Pattern.compile("(\\$\\{[A-Za-z_][A-Za-z0-9_]*})+");

  SinkListType() {
    super("list of sinks");
  }

  @Override
  ConfiguredSinks parse(RawValue raw) throws BadValueException {
    return parse(raw, ValueContext.outsideLoad("sinks"));
  }

  @Override
  ConfiguredSinks parse(RawValue raw, ValueContext context) throws BadValueException {
    JsonNode tree = raw.tree();
    List<Origin> entryOrigins = new ArrayList<>();
    if (raw.shape() == RawValue.Shape.LIST) {
      raw.items().forEach(item -> entryOrigins.add(context.originAt(item.line())));
    }
    SinkDefinitions.Checked checked = SinkDefinitions.check(tree, context.env());
    List<BadValueException.Located> problems = new ArrayList<>();
    List<String> unsetVariables = new ArrayList<>();
    for (SinkConfigException.Problem problem : checked.problems()) {
      Origin origin =
          problem.entry() >= 0 && problem.entry() < entryOrigins.size()
              ? entryOrigins.get(problem.entry())
              : context.origin();
      if (problem.unsetVariable()) {
        unsetVariables.add(Problems.line(problem.text(), origin));
      } else {
        problems.add(new BadValueException.Located(problem.text(), origin));
      }
    }
    if (!problems.isEmpty()) {
      throw BadValueException.located(problems);
    }
    return new ConfiguredSinks(
        checked.definitions(),
        unsetVariables,
        masked(tree, checked.secretKeys(), checked.urlKeys()).toString());
  }

  @Override
  public String format(ConfiguredSinks value) {
    return value.toString();
  }

  /**
   * The list as written with the values of every secret key masked (those its sink type reads as
   * secrets, and any named like one) and every URL shown as {@link Secret#maskedUrl}, its path and
   * query hidden: a webhook's credential is often there.
   */
  private static JsonNode masked(
      JsonNode tree, List<Set<String>> secretKeys, List<Set<String>> urlKeys) {
    if (!(tree instanceof ArrayNode entries)) {
      return tree;
    }
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) instanceof ObjectNode entry) {
        Set<String> secret = i < secretKeys.size() ? secretKeys.get(i) : Set.of();
        Set<String> urls = i < urlKeys.size() ? urlKeys.get(i) : Set.of();
        List<String> fields = new ArrayList<>();
        entry.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
          JsonNode value = entry.get(field);
          if (urls.contains(field) && value.isTextual() && !onlyReferences(value)) {
            entry.put(field, Secret.maskedUrl(value.asText()));
          } else if (secret.contains(field) || Secrets.looksSecret(field)) {
            entry.set(field, maskedSecret(entry.get(field)));
          }
        }
      }
    }
    return entries;
  }

  private static JsonNode maskedSecret(JsonNode value) {
    if (value instanceof ObjectNode map) {
      List<String> fields = new ArrayList<>();
      map.fieldNames().forEachRemaining(fields::add);
      fields.forEach(field -> map.set(field, maskedSecret(map.get(field))));
      return map;
    }
    if (value instanceof ArrayNode list) {
      for (int i = 0; i < list.size(); i++) {
        list.set(i, maskedSecret(list.get(i)));
      }
      return list;
    }
    if (value.isNull() || onlyReferences(value)) {
      return value;
    }
    return JsonNodeFactory.instance.textNode(Secrets.MASK);
  }

  private static boolean onlyReferences(JsonNode value) {
    return value.isTextual() && ONLY_REFERENCES.matcher(value.asText()).matches();
  }
}
