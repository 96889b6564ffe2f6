package io.vigil.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class InflateAheadTest {

  private static final int LARGE = 3 * InflateAhead.INLINE_BYTES + 12_345;

  @Test
  void aLargeObjectReadsTheSameBytesAsTheStreamItself() throws IOException {
    byte[] plain = text(LARGE);
    byte[] gzip = gzip(plain);
    try (InputStream ahead = new InflateAhead(new GzipMembers(new ByteArrayInputStream(gzip)))) {
      assertThat(readInOddSizes(ahead)).isEqualTo(plain);
      assertThat(ahead.read()).isEqualTo(-1);
    }
  }

  @Test
  void aFailureComesWhereTheStreamFailedAndReadingOnGetsWhatFollows() throws IOException {
    byte[] plain = text(LARGE);
    int failAt = 2 * InflateAhead.INLINE_BYTES + 7;
    InputStream failingOnce = new FailingOnce(new ByteArrayInputStream(plain), failAt);
    try (InputStream ahead = new InflateAhead(failingOnce)) {
      byte[] before = new byte[failAt];
      int got = 0;
      while (got < failAt) {
        got += ahead.read(before, got, failAt - got);
      }
      assertThat(before).isEqualTo(java.util.Arrays.copyOf(plain, failAt));
      assertThatThrownBy(() -> ahead.read(new byte[10], 0, 10))
          .isInstanceOf(BadContentException.class)
          .hasMessage("failed at " + failAt);
      assertThat(ahead.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(plain, failAt, plain.length));
    }
  }

  @Test
  void aCloseBeforeTheEndStopsTheThreadBeforeTheStreamIsClosed() throws IOException {
    AtomicBoolean closedWhileRead = new AtomicBoolean();
    InputStream slow =
        new ByteArrayInputStream(text(LARGE)) {
          private volatile boolean reading;

          @Override
          public synchronized int read(byte[] b, int off, int len) {
            reading = true;
            try {
              Thread.sleep(1);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            int n = super.read(b, off, Math.min(len, 4096));
            reading = false;
            return n;
          }

          @Override
          public void close() {
            closedWhileRead.set(reading);
          }
        };
    InputStream ahead = new InflateAhead(slow);
    ahead.readNBytes(InflateAhead.INLINE_BYTES + 1000);
    ahead.close();
    assertThat(closedWhileRead).isFalse();
  }

  // Text-like bytes (a log compresses; random bytes would not) that differ along the way.
  private static byte[] text(int length) {
    Random random = new Random(42);
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ('a' + random.nextInt(6));
    }
    return bytes;
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    }
    return out.toByteArray();
  }

  private static byte[] readInOddSizes(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[70_001];
    int[] sizes = {1, 17, 4096, 70_001, 333};
    for (int i = 0; ; i++) {
      int n = in.read(buffer, 0, sizes[i % sizes.length]);
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buffer, 0, n);
    }
  }

  /** Fails once when a read reaches {@code at}, then goes on from there. */
  private static final class FailingOnce extends InputStream {
    private final InputStream in;
    private final long at;
    private long position;
    private boolean failed;

    FailingOnce(InputStream in, long at) {
      this.in = in;
      this.at = at;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (!failed && position == at) {
        failed = true;
        throw new BadContentException(RejectReason.CORRUPT_GZIP, "failed at " + at);
      }
      int allowed = failed ? len : (int) Math.min(len, at - position);
      int n = in.read(b, off, allowed);
      if (n > 0) {
        position += n;
      }
      return n;
    }
  }
}
