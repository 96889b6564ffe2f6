package io.vigil.app.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Applies settings layer by layer (file, then environment, then flags, each overriding the last),
 * typing each value against its key. Every layer's values are checked, even overridden ones, so a
 * broken config file is reported although the environment happens to mask it today.
 */
final class ConfigResolver {

  /** A typed value and where it came from. */
  record Resolved(Object value, Origin origin) {}

  private static final String KAFKA_PREFIX = "kafka.";

  private final KeyIndex index;
  private final Problems problems;
  private final Map<String, String> env;
  private final Map<ConfigKey<?>, Resolved> values = new LinkedHashMap<>();
  private final Map<String, Resolved> passthrough = new TreeMap<>();

  /**
   * @param env the environment, for the {@code ${NAME}} references of structured values
   */
  ConfigResolver(KeyIndex index, Problems problems, Map<String, String> env) {
    this.index = index;
    this.problems = problems;
    this.env = env;
  }

  /** Applies one layer; call in precedence order, lowest first. */
  void apply(List<Setting> layer) {
    for (Setting setting : layer) {
      if (setting.value().shape() == RawValue.Shape.NULL) {
        // Blank or YAML null means "not set here" (e.g. an empty VIGIL_X= from a template).
        // It is still checked for being a known name, so a typo does not pass silently.
        if (index.match(setting.name()) instanceof KeyIndex.Unknown unknown) {
          problems.unknownKey(setting.name(), setting.origin(), unknown.suggestion());
        }
        continue;
      }
      // Java 17 has no pattern matching in switch, hence the instanceof chain.
      KeyIndex.Match match = index.match(setting.name());
      if (match instanceof KeyIndex.Known known) {
        applyKnown(known.key(), setting);
      } else if (match instanceof KeyIndex.Passthrough) {
        applyPassthrough(setting);
      } else if (match instanceof KeyIndex.Unknown unknown) {
        problems.unknownKey(setting.name(), setting.origin(), unknown.suggestion());
      }
    }
  }

  Map<ConfigKey<?>, Resolved> values() {
    return values;
  }

  Map<String, Resolved> passthrough() {
    return passthrough;
  }

  private void applyKnown(ConfigKey<?> key, Setting setting) {
    try {
      Object value =
          key.type().parse(setting.value(), new ValueContext(key.name(), env, setting.origin()));
      values.put(key, new Resolved(value, setting.origin()));
    } catch (BadValueException e) {
      if (e.located().isEmpty()) {
        problems.add(key.name(), e.describe(key.isSecret()), setting.origin());
      } else {
        e.located().forEach(problem -> problems.add(problem.text(), problem.origin()));
      }
    }
  }

  // Kafka list settings (e.g. ssl.enabled.protocols) are comma-separated, so a YAML list of
  // scalars is joined that way; anything deeper has no meaning to a client setting.
  private void applyPassthrough(Setting setting) {
    RawValue value = setting.value();
    String text;
    if (value.shape() == RawValue.Shape.SCALAR) {
      text = value.text();
    } else if (value.shape() == RawValue.Shape.LIST
        && value.items().stream().allMatch(item -> item.shape() == RawValue.Shape.SCALAR)) {
      text = value.items().stream().map(RawValue::text).collect(Collectors.joining(","));
    } else {
      problems.add(
          setting.name(),
          "expected a single value or a list of values, got "
              + (value.shape() == RawValue.Shape.LIST
                  ? "a list holding maps or lists"
                  : value.shape().description()),
          setting.origin());
      return;
    }
    if (setting.name().startsWith(KAFKA_PREFIX)) {
      Optional<String> problem =
          KafkaSettingCheck.problem(setting.name().substring(KAFKA_PREFIX.length()), text);
      if (problem.isPresent()) {
        problems.add(setting.name(), problem.get(), setting.origin());
        return;
      }
    }
    passthrough.put(setting.name(), new Resolved(text, setting.origin()));
  }
}
