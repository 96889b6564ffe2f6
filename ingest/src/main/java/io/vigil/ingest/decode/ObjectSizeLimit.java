package io.vigil.ingest.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the decompressed bytes of one object while they stream past and stops at {@link
 * DecodeLimits#maxObjectBytes()} with an {@code object-too-large} {@link BadContentException}, so
 * that a gzip bomb is caught after reading at most the limit, never in memory.
 */
final class ObjectSizeLimit extends BlockInputStream {

  private final InputStream in;
  private final long max;
  private long count;

  ObjectSizeLimit(InputStream in, long max) {
    this.in = in;
    this.max = max;
  }

  long count() {
    return count;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (count >= max) {
      // one byte more than the limit proves it was exceeded
      int probe = in.read(b, off, 1);
      if (probe > 0) {
        throw tooLarge();
      }
      return probe;
    }
    int n = in.read(b, off, (int) Math.min(len, max - count));
    if (n > 0) {
      count += n;
    }
    return n;
  }

  private BadContentException tooLarge() {
    return new BadContentException(
        RejectReason.OBJECT_TOO_LARGE,
        "object decompresses to more than "
            + max
            + " bytes (ingest.max.object.bytes); the rest was not read");
  }

  @Override
  public void close() {
    // the caller owns the stream
  }
}
