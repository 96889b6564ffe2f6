package io.vigil.app.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Looks names up in a set of keys: by dotted name, by environment variable, and as a passthrough
 * setting of an open namespace. Separate from {@link ConfigKeys} so tests can use their own keys.
 */
final class KeyIndex {

  /** What a dotted name turned out to be. */
  sealed interface Match {}

  record Known(ConfigKey<?> key) implements Match {}

  record Passthrough(String name) implements Match {}

  record Unknown(Optional<String> suggestion) implements Match {}

  private final List<ConfigKey<?>> keys;
  private final List<String> openNamespaces;
  private final Set<String> launcherEnvVars;
  private final Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
  private final Map<String, ConfigKey<?>> byEnvVar = new LinkedHashMap<>();

  KeyIndex(
      Collection<ConfigKey<?>> keys, List<String> openNamespaces, Set<String> launcherEnvVars) {
    this.keys = List.copyOf(keys);
    this.openNamespaces = List.copyOf(openNamespaces);
    this.launcherEnvVars = Set.copyOf(launcherEnvVars);
    for (ConfigKey<?> key : keys) {
      requireUnique(byName, key.name(), key);
      // "a.b_c" and "a_b.c" would share VIGIL_A_B_C; refuse at startup rather than guess later.
      requireUnique(byEnvVar, key.envVar(), key);
    }
  }

  static KeyIndex standard() {
    return new KeyIndex(ConfigKeys.all(), ConfigKeys.OPEN_NAMESPACES, ConfigKeys.LAUNCHER_ENV_VARS);
  }

  List<ConfigKey<?>> keys() {
    return keys;
  }

  List<String> openNamespaces() {
    return openNamespaces;
  }

  Match match(String name) {
    ConfigKey<?> key = byName.get(name);
    if (key != null) {
      return new Known(key);
    }
    Optional<String> suggestion = Suggestions.closest(name, byName.keySet());
    // Inside an open namespace a near miss of a Vigil key is far likelier a typo than a real
    // client setting: "kafka.bootstrap.server" would otherwise silently start the embedded broker.
    if (openNamespaceOf(name).isPresent() && suggestion.isEmpty()) {
      return new Passthrough(name);
    }
    return new Unknown(suggestion);
  }

  Optional<String> openNamespaceOf(String name) {
    return openNamespaces.stream()
        .filter(prefix -> name.startsWith(prefix) && name.length() > prefix.length())
        .findFirst();
  }

  Optional<ConfigKey<?>> byEnvVar(String envVar) {
    return Optional.ofNullable(byEnvVar.get(envVar));
  }

  boolean isLauncherEnvVar(String envVar) {
    return launcherEnvVars.contains(envVar);
  }

  /**
   * The passthrough setting an environment variable names, e.g. {@code
   * VIGIL_KAFKA_SASL_JAAS_CONFIG} is {@code kafka.sasl.jaas.config}; empty if it is not under an
   * open namespace.
   */
  Optional<String> passthroughNameOfEnvVar(String envVar) {
    String dotted =
        envVar.substring(ConfigKey.ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    return openNamespaceOf(dotted).map(prefix -> dotted);
  }

  Optional<String> suggestEnvVar(String envVar) {
    return Suggestions.closest(envVar, byEnvVar.keySet());
  }

  private static void requireUnique(
      Map<String, ConfigKey<?>> index, String name, ConfigKey<?> key) {
    ConfigKey<?> previous = index.putIfAbsent(name, key);
    if (previous != null) {
      throw new IllegalStateException(
          "config keys " + previous.name() + " and " + key.name() + " clash on " + name);
    }
  }
}
