package io.vigil.schemas;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of durations an operator writes: every duration key of the configuration ({@code
 * alerts.update.interval}, {@code detection.grace}, ...), every duration of a {@code sinks} entry
 * ({@code initial_backoff}, {@code timeout}, {@code max_file_age}, ...) and command options such as
 * {@code vigil demo --wait}. {@code 500ms}, {@code 10s}, {@code 15m}, {@code 1h}, {@code 2d} or
 * ISO-8601 ({@code PT10S}); never negative.
 *
 * <p>It lives in schemas, the contract module every other module depends on, because the sinks
 * module reads its own entries and cannot see the app's configuration package; a second parser
 * there had already drifted (no days, no ISO form, another message).
 */
public final class Durations {

  /** What a duration looks like, as error messages put it. */
  public static final String EXPECTED = "a duration such as 500ms, 10s, 15m, 1h, 2d or PT10S";

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses one duration.
   *
   * @throws IllegalArgumentException with the message {@link #problem(String)}
   */
  public static Duration parse(String text) {
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
    throw new IllegalArgumentException(problem(text));
  }

  /**
   * The one message for text that is not a duration: "expected a duration such as ..., got '...'".
   */
  public static String problem(String text) {
    return "expected " + EXPECTED + ", got '" + text + "'";
  }

  /** The shortest exact form, so that defaults in the docs read as they were written. */
  public static String format(Duration duration) {
    long millis;
    try {
      millis = duration.toMillis();
    } catch (ArithmeticException e) {
      return duration.toString();
    }
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
