package io.vigil.sinks.delivery;

import java.time.Duration;

/**
 * A failed delivery, classified: retryable (429, 5xx, connection errors, timeouts) or fatal for the
 * alert (other 4xx, an alert that cannot be rendered). Messages never contain secrets: sinks build
 * them from status codes and exception types, and the runner scrubs them again before use.
 */
public final class DeliveryException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String reason;
  private final boolean retryable;
  private final transient Duration retryAfter;

  private DeliveryException(String reason, String message, boolean retryable, Duration retryAfter) {
    super(message);
    this.reason = reason;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /**
   * A failure worth retrying; {@code retryAfter} is what the receiver asked for, or {@code null}.
   */
  public static DeliveryException retryable(String reason, String message, Duration retryAfter) {
    return new DeliveryException(reason, message, true, retryAfter);
  }

  /** A failure that retrying cannot fix for this alert. */
  public static DeliveryException fatal(String reason, String message) {
    return new DeliveryException(reason, message, false, null);
  }

  /**
   * Short machine-readable code, e.g. {@code http_503}, {@code connect_failed}, {@code
   * render_failed}.
   */
  public String reason() {
    return reason;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The receiver's Retry-After, or {@code null}. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
