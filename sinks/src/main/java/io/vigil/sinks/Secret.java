package io.vigil.sinks;

import java.util.Objects;

/**
 * A configured secret (token, routing key, webhook URL, signing key). Its {@link #toString()} is a
 * mask, so that a secret logged or concatenated into a message by mistake still does not leak; the
 * value is read only where it goes on the wire, through {@link #reveal()}.
 */
public final class Secret {

  /** What is shown in place of a secret. */
  public static final String MASK = "****";

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret itself, for the request that needs it; never for logs or messages. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
