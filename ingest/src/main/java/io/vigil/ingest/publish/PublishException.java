package io.vigil.ingest.publish;

/** A unit could not be committed to Kafka; nothing of it is visible and it may be retried. */
public class PublishException extends Exception {

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
