package io.vigil.deploy.config;

/**
 * Thrown by a {@link ConfigType} when a raw value does not fit it.
 *
 * <p>It carries the expectation and the offending value separately, rather than a finished
 * message, so that the loader can mask the value of a secret key and add the key and origin.
 */
final class BadValueException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String actual;
  private final boolean actualIsUserText;

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
  }

  static BadValueException text(String expected, String actualText) {
    return new BadValueException(expected, actualText, true);
  }

  static BadValueException shape(String expected, RawValue.Shape shape) {
    return new BadValueException(expected, shape.description(), false);
  }

  /** "expected X, got 'y'", with the value replaced by the mask when {@code secret}. */
  String describe(boolean secret) {
    String got = actualIsUserText ? "'" + (secret ? Secrets.MASK : actual) + "'" : actual;
    return "expected " + expected + ", got " + got;
  }
}
