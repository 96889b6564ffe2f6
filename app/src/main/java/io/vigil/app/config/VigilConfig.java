package io.vigil.app.config;

import io.vigil.schemas.VigilTopics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vigil's effective configuration: every known key typed and checked, plus the passthrough settings
 * of the open namespaces (see {@link ConfigKeys#OPEN_NAMESPACES}).
 *
 * <p>Precedence, lowest first: each key's default, the YAML config file, {@code VIGIL_*}
 * environment variables, then {@code --set} flags. Immutable once loaded.
 */
public final class VigilConfig {

  private final KeyIndex index;
  private final Map<ConfigKey<?>, ConfigResolver.Resolved> values;
  private final Map<String, ConfigResolver.Resolved> passthrough;

  private VigilConfig(KeyIndex index, ConfigResolver resolver) {
    this.index = index;
    this.values = Map.copyOf(resolver.values());
    this.passthrough = new LinkedHashMap<>(resolver.passthrough());
  }

  /**
   * Loads and checks the configuration of the keys in {@link ConfigKeys}.
   *
   * @param file the YAML config file, if one was given
   * @param env the process environment; only {@code VIGIL_*} variables are looked at
   * @param flags {@code --set} pairs, key name to value
   * @throws ConfigException listing every problem found, one per line
   */
  public static VigilConfig load(
      Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
    return load(KeyIndex.standard(), file, env, flags);
  }

  // Tests use their own keys (e.g. a secret int) through this.
  static VigilConfig load(
      KeyIndex index, Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
    Problems problems = new Problems();
    ConfigResolver resolver = new ConfigResolver(index, problems, env);
    file.ifPresent(path -> resolver.apply(YamlSource.read(path, index, problems)));
    resolver.apply(EnvSource.read(env, index, problems));
    resolver.apply(FlagSource.read(flags));
    requireDistinctTopics(index, resolver.values(), problems);
    problems.throwIfAny();
    return new VigilConfig(index, resolver);
  }

  // Two topic keys naming one topic would mix record types on it. VigilTopics refuses that too,
  // but only at startup and without saying which key was set where; this runs with the load.
  private static void requireDistinctTopics(
      KeyIndex index, Map<ConfigKey<?>, ConfigResolver.Resolved> values, Problems problems) {
    Map<String, String> owners = new HashMap<>();
    VigilTopics.DEFAULT_NAMES.forEach(
        (logical, name) -> {
          if (!ConfigKeys.topicKeys().containsKey(logical)) {
            owners.put(name, "the " + logical + " topic");
          }
        });
    List<ConfigKey<String>> keys =
        ConfigKeys.topicKeys().values().stream().filter(index.keys()::contains).toList();
    // Defaults first, so that a clash is reported on the key the operator set.
    for (boolean set : new boolean[] {false, true}) {
      for (ConfigKey<String> key : keys) {
        ConfigResolver.Resolved resolved = values.get(key);
        if ((resolved != null) != set) {
          continue;
        }
        String name =
            resolved != null ? (String) resolved.value() : key.defaultValue().orElseThrow();
        String owner = owners.putIfAbsent(name, key.name());
        if (owner != null) {
          problems.add(
              key.name(),
              "'" + name + "' is already the name of " + owner,
              resolved != null ? resolved.origin() : Origin.DEFAULT);
        }
      }
    }
  }

  /**
   * A configuration error about {@code key}'s value found after the load, e.g. a rules directory
   * that does not exist or a threat-intelligence file that does not parse: each problem is worded
   * after the key and ends with where the value was set, as load errors do.
   */
  public ConfigException invalid(ConfigKey<?> key, List<String> problems) {
    Origin origin =
        Optional.ofNullable(values.get(key))
            .map(ConfigResolver.Resolved::origin)
            .orElse(Origin.DEFAULT);
    return new ConfigException(
        problems.stream()
            .map(problem -> Problems.line(key.name() + ": " + problem, origin))
            .toList());
  }

  /**
   * The key's value, or its default.
   *
   * @throws ConfigException if the key has neither, saying how to set it
   */
  public <T> T get(ConfigKey<T> key) {
    return find(key)
        .orElseThrow(
            () ->
                new ConfigException(
                    List.of(
                        key.name()
                            + ": no value set; set it in the config file, with environment "
                            + key.envVar()
                            + " or with --set "
                            + key.name()
                            + "=...")));
  }

  /** The key's value or its default; empty if it has neither. */
  @SuppressWarnings("unchecked") // values are stored by the key's own type's parse()
  public <T> Optional<T> find(ConfigKey<T> key) {
    requireKnown(key);
    ConfigResolver.Resolved resolved = values.get(key);
    return resolved != null ? Optional.of((T) resolved.value()) : key.defaultValue();
  }

  /**
   * Where the key's value came from: {@code default}, {@code vigil.yaml:3}, {@code environment
   * VIGIL_HTTP_PORT} or {@code flag --set http.port}; {@code unset} if it has no value.
   */
  public String origin(ConfigKey<?> key) {
    requireKnown(key);
    ConfigResolver.Resolved resolved = values.get(key);
    if (resolved != null) {
      return resolved.origin().toString();
    }
    return key.defaultValue().isPresent() ? Origin.DEFAULT.toString() : "unset";
  }

  /**
   * The passthrough settings under {@code prefix} (e.g. {@code "kafka."}) with the prefix stripped,
   * ready for a client's properties. Known keys under the prefix (e.g. {@code
   * kafka.bootstrap.servers}) are not included: read those with {@link #get}.
   */
  public Map<String, String> passthrough(String prefix) {
    Map<String, String> settings = new LinkedHashMap<>();
    passthrough.forEach(
        (name, resolved) -> {
          if (name.startsWith(prefix)) {
            settings.put(name.substring(prefix.length()), (String) resolved.value());
          }
        });
    return Map.copyOf(settings);
  }

  /**
   * Every effective value, one {@code name = value (origin)} per line, secrets masked: for the
   * startup log.
   */
  public String describe() {
    List<String> lines = new ArrayList<>();
    for (ConfigKey<?> key : index.keys()) {
      lines.add(key.name() + " = " + displayValue(key) + " (" + origin(key) + ")");
    }
    passthrough.forEach(
        (name, resolved) ->
            lines.add(
                name
                    + " = "
                    + (Secrets.looksSecret(name) ? Secrets.MASK : resolved.value())
                    + " ("
                    + resolved.origin()
                    + ")"));
    return String.join(System.lineSeparator(), lines);
  }

  @Override
  public String toString() {
    return "VigilConfig[" + describe().replace(System.lineSeparator(), ", ") + "]";
  }

  private <T> String displayValue(ConfigKey<T> key) {
    return find(key).map(key::display).orElse("<unset>");
  }

  private void requireKnown(ConfigKey<?> key) {
    if (!index.keys().contains(key)) {
      throw new IllegalArgumentException(key.name() + " is not a key of this configuration");
    }
  }
}
