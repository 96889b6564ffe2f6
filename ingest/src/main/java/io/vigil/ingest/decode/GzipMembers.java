package io.vigil.ingest.decode;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses a gzip stream of one or more members (RFC 1952; concatenated members are common in
 * S3 log objects), checking each member's CRC and length. Unlike {@code GZIPInputStream}, it finds
 * the next member whatever the underlying stream's {@code available()} says and never swallows an
 * error of the underlying stream. Bad compressed data becomes a {@link BadContentException} ({@code
 * truncated-gzip}, {@code corrupt-gzip}).
 */
final class GzipMembers extends BlockInputStream {

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final InputStream in;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] buf = new byte[64 * 1024];
  private int bufLen;
  private int bufPos;
  private boolean inMember;
  private boolean done;
  private int members;

  GzipMembers(InputStream in) {
    this.in = in;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!done) {
      if (!inMember) {
        if (!startMember()) {
          done = true;
          break;
        }
      }
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw corrupt("corrupt deflate data in gzip member " + (members) + ": " + e.getMessage());
      }
      if (n > 0) {
        crc.update(b, off, n);
        return n;
      }
      if (inflater.finished()) {
        // the unread input after the deflate stream belongs to the trailer and the next member
        bufPos = bufLen - inflater.getRemaining();
        finishMember();
      } else if (inflater.needsInput()) {
        if (fill() <= 0) {
          throw truncated("gzip member " + members + " ends before its compressed data does");
        }
        inflater.setInput(buf, bufPos, bufLen - bufPos);
        bufPos = bufLen;
      } else if (inflater.needsDictionary()) {
        throw corrupt("gzip member " + members + " asks for a preset dictionary");
      }
    }
    return -1;
  }

  /** Reads the next member's header; false at a clean end of input. */
  private boolean startMember() throws IOException {
    int first = nextByte();
    if (first < 0) {
      if (members == 0) {
        throw truncated("empty gzip stream");
      }
      return false;
    }
    int second = nextByte();
    if (first != 0x1f || second != 0x8b) {
      if (members > 0 && first == 0 && second <= 0 && onlyZerosFollow()) {
        // zero padding after the last member (tape-style writers): gzip(1) ignores it too
        return false;
      }
      throw corrupt("bytes after gzip member " + members + " are not another gzip member");
    }
    members++;
    int method = required();
    int flags = required();
    if (method != 8) {
      throw corrupt(
          "gzip member " + members + " uses compression method " + method + ", not deflate");
    }
    for (int i = 0; i < 6; i++) {
      required(); // mtime, xfl, os
    }
    if ((flags & FEXTRA) != 0) {
      int xlen = required() | required() << 8;
      for (int i = 0; i < xlen; i++) {
        required();
      }
    }
    if ((flags & FNAME) != 0) {
      while (required() != 0) {
        // skip the file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (required() != 0) {
        // skip the comment
      }
    }
    if ((flags & FHCRC) != 0) {
      required();
      required();
    }
    inflater.reset();
    crc.reset();
    if (bufPos < bufLen) {
      inflater.setInput(buf, bufPos, bufLen - bufPos);
      bufPos = bufLen;
    }
    inMember = true;
    return true;
  }

  private boolean onlyZerosFollow() throws IOException {
    int b;
    while ((b = nextByte()) == 0) {
      // keep skipping the padding
    }
    return b < 0;
  }

  private void finishMember() throws IOException {
    long expectedCrc = readIntLe();
    long expectedSize = readIntLe();
    if (expectedCrc != crc.getValue()) {
      throw corrupt("gzip member " + members + " fails its CRC check");
    }
    if (expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
      throw corrupt("gzip member " + members + " has the wrong length in its trailer");
    }
    inMember = false;
  }

  private long readIntLe() throws IOException {
    return (required() | required() << 8 | required() << 16 | (long) required() << 24)
        & 0xffffffffL;
  }

  private int required() throws IOException {
    int b = nextByte();
    if (b < 0) {
      throw truncated("gzip member " + members + " ends inside its header or trailer");
    }
    return b;
  }

  private int nextByte() throws IOException {
    if (bufPos >= bufLen && fill() <= 0) {
      return -1;
    }
    return buf[bufPos++] & 0xff;
  }

  private int fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    bufPos = 0;
    bufLen = Math.max(n, 0);
    return n;
  }

  private static BadContentException truncated(String message) {
    return new BadContentException(RejectReason.TRUNCATED_GZIP, message);
  }

  private static BadContentException corrupt(String message) {
    return new BadContentException(RejectReason.CORRUPT_GZIP, message);
  }

  @Override
  public void close() {
    inflater.end();
  }
}
