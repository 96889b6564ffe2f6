package io.vigil.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns {@code VIGIL_*} environment variables into settings.
 *
 * <p>A variable is, in this order: a launcher variable ({@link ConfigKeys#LAUNCHER_ENV_VARS},
 * ignored), a key's variable ({@link ConfigKey#envVar()}), or a passthrough setting of an open
 * namespace ({@code VIGIL_KAFKA_SASL_JAAS_CONFIG} is {@code kafka.sasl.jaas.config}). Anything else
 * is an error, because a mistyped variable would otherwise be silently ignored. Other variables are
 * not Vigil's business and are not looked at.
 */
final class EnvSource {

  private EnvSource() {}

  static List<Setting> read(Map<String, String> env, KeyIndex index, Problems problems) {
    List<Setting> settings = new ArrayList<>();
    // Sorted so that errors come out in a stable order whatever the map's iteration order.
    for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
      String variable = entry.getKey();
      if (!variable.startsWith(ConfigKey.ENV_PREFIX) || index.isLauncherEnvVar(variable)) {
        continue;
      }
      Origin origin = Origin.environment(variable);
      RawValue value = new RawValue.Text(entry.getValue());
      Optional<ConfigKey<?>> key = index.byEnvVar(variable);
      if (key.isPresent()) {
        settings.add(new Setting(key.get().name(), value, origin));
        continue;
      }
      Optional<String> passthrough = index.passthroughNameOfEnvVar(variable);
      if (passthrough.isPresent()
          && index.match(passthrough.get()) instanceof KeyIndex.Passthrough) {
        settings.add(new Setting(passthrough.get(), value, origin));
        continue;
      }
      String hint = index.suggestEnvVar(variable).map(s -> "; did you mean " + s + "?").orElse("");
      problems.add(variable + ": unknown environment variable, it matches no config key" + hint);
    }
    return settings;
  }
}
