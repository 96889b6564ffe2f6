package io.vigil.ingest.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's stream as the decoder reads it: counts the bytes read (before decompression) and
 * marks every failure of the stream as a {@link SourceReadException}, so that it is never mistaken
 * for bad content further up. Never closes the caller's stream.
 */
final class SourceInput extends InputStream {

  private final InputStream in;
  private long count;

  SourceInput(InputStream in) {
    this.in = in;
  }

  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = in.read();
    } catch (IOException e) {
      throw new SourceReadException(e);
    }
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      throw new SourceReadException(e);
    }
    if (n > 0) {
      count += n;
    }
    return n;
  }

  @Override
  public void close() {
    // the caller owns the stream
  }
}
