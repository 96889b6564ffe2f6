package io.vigil.ingest.decode;

import java.io.IOException;

/**
 * Raised by the decoder's own stream layers (decompression, the object size limit) when the content
 * is bad, as opposed to {@link SourceReadException}: the decoder turns it into a rejection.
 */
final class BadContentException extends IOException {

  private static final long serialVersionUID = 1L;

  private final RejectReason reason;

  BadContentException(RejectReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  RejectReason reason() {
    return reason;
  }
}
