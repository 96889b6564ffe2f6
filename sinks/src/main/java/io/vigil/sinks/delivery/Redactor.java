package io.vigil.sinks.delivery;

import io.vigil.sinks.Secret;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces every occurrence of a sink's secrets in a text with {@link Secret#MASK}: the last line
 * of defence for messages that go to logs, health output and the DLQ, in case a library put a URL
 * or a header into an exception message.
 */
public final class Redactor {

  private final List<String> values;

  public Redactor(List<Secret> secrets) {
    // Longest first, so that a secret containing another is masked whole.
    this.values =
        secrets.stream()
            .filter(Objects::nonNull)
            .map(Secret::reveal)
            .filter(v -> v.length() >= 4)
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  public String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String value : values) {
      out = out.replace(value, Secret.MASK);
    }
    return out;
  }
}
