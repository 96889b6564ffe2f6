package io.vigil.app.config;

import io.vigil.sinks.Secret;
import java.util.List;
import java.util.Locale;

/** Decides which values must never be printed, and how they are printed instead. */
final class Secrets {

  /** What is shown in place of a secret value, in logs, docs and error messages. */
  static final String MASK = Secret.MASK;

  // Kafka has no "secret" marker on its settings, so passthrough settings are judged by name;
  // erring towards masking (e.g. ssl.keystore.location) costs nothing.
  private static final List<String> SECRET_NAME_PARTS =
      List.of("password", "secret", "jaas", "token", "key");

  private Secrets() {}

  static boolean looksSecret(String settingName) {
    String lower = settingName.toLowerCase(Locale.ROOT);
    return SECRET_NAME_PARTS.stream().anyMatch(lower::contains);
  }
}
