package io.vigil.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry refused or could not answer a request. It is a {@link SerializationException}
 * so that serdes keep their contract (only serialization errors leave a deserializer). The message
 * names the subject or schema id and the registry's own message; it never contains credentials.
 */
public class SchemaRegistryException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** HTTP status, or -1 when the registry was not reached. */
  private final int status;

  /** The registry's {@code error_code}, or -1 when it sent none. */
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }
}
