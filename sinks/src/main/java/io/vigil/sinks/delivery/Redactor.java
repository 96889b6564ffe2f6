package io.vigil.sinks.delivery;

import io.vigil.schemas.UntrustedText;
import io.vigil.sinks.Secret;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes a text safe for logs, health output and the DLQ: every occurrence of a sink's secrets (and
 * of their parts, e.g. a webhook URL's path echoed by the receiver) replaced by how {@link Secret}
 * shows it, control characters escaped (a receiver's answer could forge log lines), and the length
 * bounded. The last line of defence for messages built from what a library or a receiver said.
 */
public final class Redactor {

  /** The longest text {@link #scrub} returns, before its note of what was cut. */
  public static final int MAX_LENGTH = 500;

  // Shorter values would mask innocent words; no real credential is this short.
  private static final int MIN_SECRET_LENGTH = 4;

  private final List<Map.Entry<String, String>> replacements;

  public Redactor(List<Secret> secrets) {
    Map<String, String> byValue = new LinkedHashMap<>();
    for (Secret secret : secrets.stream().filter(Objects::nonNull).toList()) {
      byValue.putIfAbsent(secret.reveal(), secret.shown());
      secret.parts().forEach(part -> byValue.putIfAbsent(part, Secret.PART_MASK));
    }
    // Longest first, so that a secret containing another is masked whole.
    this.replacements =
        byValue.entrySet().stream()
            .filter(e -> e.getKey().length() >= MIN_SECRET_LENGTH)
            .sorted(
                Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length())
                    .reversed())
            .map(e -> Map.entry(e.getKey(), e.getValue()))
            .toList();
  }

  /** The text with every secret masked, control characters escaped, at most {@link #MAX_LENGTH}. */
  public String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (Map.Entry<String, String> replacement : replacements) {
      out = out.replace(replacement.getKey(), replacement.getValue());
    }
    out = UntrustedText.forLine(out);
    if (out.length() > MAX_LENGTH) {
      out =
          out.substring(0, MAX_LENGTH)
              + "... ("
              + (out.length() - MAX_LENGTH)
              + " more characters)";
    }
    return out;
  }
}
