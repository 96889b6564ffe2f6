package io.vigil.ingest.decode;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The input of a JSON stream decode that keeps the bytes since the start of the current record, so
 * that when the parser fails inside a record the decoder can go back to that start and skip the
 * record with {@link RecordSkipper}, instead of giving up on the rest of the object. On the happy
 * path it only copies: it never looks at the bytes.
 *
 * <p>At most {@code maxKept} bytes are kept (one record plus the parser's read-ahead); when a
 * record is longer, its start is let go and {@link #rewind} to it answers false: the decoder then
 * reports the rest as a gap.
 */
final class RecordTape extends BlockInputStream {

  private final InputStream in;
  private final int maxKept;
  private byte[] buf = new byte[64 * 1024];
  private long bufStart; // offset of buf[0]
  private int len; // bytes of buf in use
  private long pos; // offset of the next byte delivered
  private long mark;

  RecordTape(InputStream in, long maxKept) {
    this.in = in;
    this.maxKept = (int) Math.max(buf.length, Math.min(Integer.MAX_VALUE - 16, maxKept));
  }

  /** Offset of the next byte {@link #read} delivers. */
  long position() {
    return pos;
  }

  /**
   * The buffer when it still holds the bytes from {@code from} to {@code to} (offsets), else null;
   * valid until the next read.
   */
  byte[] held(long from, long to) {
    return from >= bufStart && to <= bufStart + len ? buf : null;
  }

  /** Where offset {@code offset} is in the buffer {@link #held} returned. */
  int indexOf(long offset) {
    return (int) (offset - bufStart);
  }

  /** Bytes before {@code offset} are no longer needed. */
  void mark(long offset) {
    mark = offset;
  }

  /** Goes back (or forward, within what was read) to {@code offset}; false when it was let go. */
  boolean rewind(long offset) {
    if (offset < bufStart || offset > bufStart + len) {
      return false;
    }
    pos = offset;
    return true;
  }

  @Override
  public int read(byte[] b, int off, int n) throws IOException {
    if (n == 0) {
      return 0;
    }
    long end = bufStart + len;
    if (pos < end) {
      int k = (int) Math.min(n, end - pos);
      System.arraycopy(buf, (int) (pos - bufStart), b, off, k);
      pos += k;
      return k;
    }
    if (len == buf.length) {
      makeRoom();
    }
    int r = in.read(buf, len, Math.min(n, buf.length - len));
    if (r <= 0) {
      return r;
    }
    System.arraycopy(buf, len, b, off, r);
    len += r;
    pos += r;
    return r;
  }

  private void makeRoom() {
    int drop = (int) Math.max(0, Math.min(len, mark - bufStart));
    if (drop > 0) {
      System.arraycopy(buf, drop, buf, 0, len - drop);
      bufStart += drop;
      len -= drop;
    }
    if (len < buf.length) {
      return;
    }
    if (buf.length < maxKept) {
      buf = Arrays.copyOf(buf, (int) Math.min(maxKept, buf.length * 2L));
      return;
    }
    // the record is longer than what may be kept: let its start go
    bufStart = pos;
    len = 0;
  }
}
