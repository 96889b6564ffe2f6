package io.vigil.ingest.decode;

import io.vigil.schemas.DeadLetters;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines (LF or CRLF) without decoding characters, a line at a time from a
 * reused buffer. A line longer than the record limit is not buffered: its first {@link
 * DeadLetters#MAX_RAW_BYTES} are kept for the rejection and the rest is skipped, counted.
 */
final class LineReader {

  private final InputStream in;
  private final int maxLine;
  private byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private long lineNumber;
  private int lineStart;
  private int lineLength;
  private long tooLongSize = -1;

  LineReader(InputStream in, long maxLineBytes) {
    this.in = in;
    this.maxLine = (int) Math.min(maxLineBytes, Integer.MAX_VALUE - 64);
  }

  /** The buffer holding the current line (valid until the next call). */
  byte[] buffer() {
    return buf;
  }

  int start() {
    return lineStart;
  }

  /** Length of the current line without its terminator (for a too-long line: the bytes kept). */
  int length() {
    return lineLength;
  }

  /** 1-based number of the current line. */
  long lineNumber() {
    return lineNumber;
  }

  /** For a line over the limit: its full size in bytes; -1 for a line within the limit. */
  long tooLongSize() {
    return tooLongSize;
  }

  /** Advances to the next line; false at the end of input. */
  boolean next() throws IOException {
    tooLongSize = -1;
    int scanned = 0;
    while (true) {
      for (int i = pos + scanned; i < limit; i++) {
        if (buf[i] == '\n') {
          setLine(pos, i);
          pos = i + 1;
          return true;
        }
      }
      if (limit - pos > maxLine) {
        skipLongLine();
        return true;
      }
      scanned = limit - pos;
      if (eof || !fill()) {
        if (pos == limit) {
          return false;
        }
        setLine(pos, limit);
        pos = limit;
        return true;
      }
    }
  }

  private void setLine(int from, int newline) {
    int end = newline;
    if (end > from && buf[end - 1] == '\r') {
      end--;
    }
    lineStart = from;
    lineLength = end - from;
    lineNumber++;
  }

  /** Reads more input, compacting or growing the buffer; false at the end of input. */
  private boolean fill() throws IOException {
    if (pos > 0) {
      int kept = limit - pos;
      System.arraycopy(buf, pos, buf, 0, kept);
      limit = kept;
      pos = 0;
    }
    if (limit == buf.length) {
      buf =
          Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) maxLine + 64 * 1024 + 2));
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }

  private void skipLongLine() throws IOException {
    // keep the head of the line at the start of the buffer for the rejection
    int keep = Math.min(Math.min(DeadLetters.MAX_RAW_BYTES, limit - pos), buf.length / 2);
    System.arraycopy(buf, pos, buf, 0, keep);
    long size = limit - pos;
    int tail = keep;
    boolean found = false;
    while (!found) {
      int n = in.read(buf, tail, buf.length - tail);
      if (n < 0) {
        eof = true;
        limit = tail;
        pos = tail;
        break;
      }
      for (int i = tail; i < tail + n; i++) {
        if (buf[i] == '\n') {
          size += i - tail;
          // what follows the newline is the next line: move it behind the kept head
          int rest = tail + n - (i + 1);
          System.arraycopy(buf, i + 1, buf, keep, rest);
          pos = keep;
          limit = keep + rest;
          found = true;
          break;
        }
      }
      if (!found) {
        size += n;
      }
    }
    lineStart = 0;
    lineLength = keep;
    tooLongSize = size;
    lineNumber++;
  }
}
