package io.vigil.deploy.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the human duration forms used in Vigil's configuration. */
final class Durations {

  static final String EXPECTED = "a duration such as 500ms, 10s, 15m, 1h, 2d or PT10S";

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  static Duration parse(String text) throws BadValueException {
    String trimmed = text.trim();
    Matcher matcher = SHORT.matcher(trimmed.toLowerCase(Locale.ROOT));
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      }
      Duration iso = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      // A negative timeout is never meant; rejecting it beats a confusing failure much later.
      if (!iso.isNegative()) {
        return iso;
      }
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      // Falls through to the uniform message below; the JDK's text would not help the operator.
    }
    throw BadValueException.text(EXPECTED, text);
  }

  /** The shortest exact form, so that the defaults in the docs read as they were written. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (!duration.equals(Duration.ofMillis(millis))) {
      return duration.toString();
    }
    if (millis == 0) {
      return "0s";
    }
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
