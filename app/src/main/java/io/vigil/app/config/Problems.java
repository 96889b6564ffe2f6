package io.vigil.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects configuration problems so that all of them are reported at once: fixing a config one
 * error per restart is slow, especially in a container.
 */
final class Problems {

  private final List<String> lines = new ArrayList<>();

  /** "{@code subject}: {@code problem} (from {@code origin})". */
  void add(String subject, String problem, Origin origin) {
    add(subject + ": " + problem, origin);
  }

  /** A problem worded in full (naming its key and part), placed at {@code origin}. */
  void add(String text, Origin origin) {
    lines.add(line(text, origin));
  }

  /** "{@code text} (from {@code origin})": how every placed problem reads. */
  static String line(String text, Origin origin) {
    return text + " (from " + origin + ")";
  }

  /** A problem that is not about one key's value, e.g. an unreadable file. */
  void add(String line) {
    lines.add(line);
  }

  void unknownKey(String name, Origin origin, Optional<String> suggestion) {
    add(name, "unknown key" + suggestion.map(s -> "; did you mean " + s + "?").orElse(""), origin);
  }

  void throwIfAny() {
    if (!lines.isEmpty()) {
      throw new ConfigException(lines);
    }
  }
}
