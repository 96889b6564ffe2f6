package io.vigil.app.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One documented configuration setting: its dotted name, type, default, one-line description and
 * whether it is secret. Secret values are never printed: {@link #toString()}, the docs, {@link
 * VigilConfig#describe()} and error messages show {@code ****} instead.
 *
 * <p>Keys are declared once, in {@link ConfigKeys}, and compared by identity.
 *
 * @param <T> the Java type of the key's value
 */
public final class ConfigKey<T> {

  /** Every key's environment variable starts with this. */
  public static final String ENV_PREFIX = "VIGIL_";

  // Lower case so that the environment mapping is reversible for everything but '_' vs '.'.
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  private final String name;
  private final ConfigType<T> type;
  private final T defaultValue;
  private final String description;
  private final boolean secret;

  private ConfigKey(
      String name, ConfigType<T> type, T defaultValue, String description, boolean secret) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("config key names are lower-case dotted words: " + name);
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description, "description");
    this.secret = secret;
    if (defaultValue != null) {
      requireDefaultFitsType();
    }
  }

  /** A key with a default value. */
  public static <T> ConfigKey<T> of(
      String name, ConfigType<T> type, T defaultValue, String description) {
    return new ConfigKey<>(
        name, type, Objects.requireNonNull(defaultValue, "defaultValue"), description, false);
  }

  /** A key with no default: {@link VigilConfig#find} is empty unless the user sets it. */
  public static <T> ConfigKey<T> optional(String name, ConfigType<T> type, String description) {
    return new ConfigKey<>(name, type, null, description, false);
  }

  /** The same key, marked secret so its value is never printed. */
  public ConfigKey<T> secret() {
    return new ConfigKey<>(name, type, defaultValue, description, true);
  }

  public String name() {
    return name;
  }

  public ConfigType<T> type() {
    return type;
  }

  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String description() {
    return description;
  }

  public boolean isSecret() {
    return secret;
  }

  /** The environment variable that sets this key: {@code data.dir} is {@code VIGIL_DATA_DIR}. */
  public String envVar() {
    return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** A value of this key as it may be printed: formatted by its type, or masked if secret. */
  String display(T value) {
    return secret ? Secrets.MASK : type.format(value);
  }

  @Override
  public String toString() {
    String shownDefault = defaultValue == null ? "no default" : "default " + display(defaultValue);
    return name + " (" + type.name() + ", " + shownDefault + (secret ? ", secret)" : ")");
  }

  // Catches a typo in an enum default or an out-of-range port at class-load time, not in
  // production.
  private void requireDefaultFitsType() {
    String formatted = type.format(defaultValue);
    if (formatted.isBlank()) {
      return; // e.g. an empty list: nothing to misspell
    }
    try {
      type.parse(new RawValue.Text(formatted));
    } catch (BadValueException e) {
      throw new IllegalArgumentException(
          name + ": default does not fit its type: " + e.describe(secret));
    }
  }
}
