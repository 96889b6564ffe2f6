package io.vigil.app.config;

import java.util.List;

/**
 * Thrown by a {@link ConfigType} when a raw value does not fit it.
 *
 * <p>It carries the expectation and the offending value separately, rather than a finished message,
 * so that the loader can mask the value of a secret key and add the key and origin. A structured
 * value (e.g. {@code sinks}) may instead carry several finished problems, each placed where its
 * part of the value was written ({@link #located}).
 */
final class BadValueException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * One problem of a structured value, worded in full (naming the key and the part, e.g. {@code
   * sinks[1] 'oncall': routing_key: required}) and never holding a secret.
   */
  record Located(String text, Origin origin) {}

  private final String expected;
  private final String actual;
  private final boolean actualIsUserText;
  private final transient List<Located> located;

  /**
   * @param expected what the type wanted, e.g. "a port number 0-65535"
   * @param actual what it got: the user's text, or a description such as "a map"
   * @param actualIsUserText whether {@code actual} is the user's own text (quoted, and masked for
   *     secrets) or a description of its shape
   */
  BadValueException(String expected, String actual, boolean actualIsUserText) {
    super("expected " + expected, null, false, false);
    this.expected = expected;
    this.actual = actual;
    this.actualIsUserText = actualIsUserText;
    this.located = List.of();
  }

  private BadValueException(List<Located> located) {
    super(located.get(0).text(), null, false, false);
    this.expected = null;
    this.actual = null;
    this.actualIsUserText = false;
    this.located = List.copyOf(located);
  }

  static BadValueException text(String expected, String actualText) {
    return new BadValueException(expected, actualText, true);
  }

  static BadValueException shape(String expected, RawValue.Shape shape) {
    return new BadValueException(expected, shape.description(), false);
  }

  /** Several problems of one structured value, each with its own place; at least one. */
  static BadValueException located(List<Located> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems");
    }
    return new BadValueException(problems);
  }

  /** The placed problems of a structured value; empty for a plain "expected X, got y". */
  List<Located> located() {
    return located;
  }

  /** "expected X, got 'y'", with the value replaced by the mask when {@code secret}. */
  String describe(boolean secret) {
    if (!located.isEmpty()) {
      return String.join("; ", located.stream().map(Located::text).toList());
    }
    String got = actualIsUserText ? "'" + (secret ? Secrets.MASK : actual) + "'" : actual;
    return "expected " + expected + ", got " + got;
  }
}
