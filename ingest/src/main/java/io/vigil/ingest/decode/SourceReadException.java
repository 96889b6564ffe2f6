package io.vigil.ingest.decode;

import java.io.IOException;

/**
 * An {@link IOException} of the caller's input stream itself (a network error while reading an S3
 * object), kept apart from bad content so that the decoder lets it propagate and the source can
 * retry. The decoder rethrows the original exception, not this wrapper.
 */
final class SourceReadException extends IOException {

  private static final long serialVersionUID = 1L;

  SourceReadException(IOException cause) {
    super(cause.getMessage(), cause);
  }

  IOException original() {
    return (IOException) getCause();
  }
}
