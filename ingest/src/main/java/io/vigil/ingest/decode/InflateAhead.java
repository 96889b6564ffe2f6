package io.vigil.ingest.decode;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decompresses ahead of the parser, on a second thread, once an object has proved large, so that
 * the parser no longer waits for gunzip (~15% of a large CloudTrail object's decode time:
 * docs/benchmarks.md, decoder). The reader sees exactly what it would have read from the stream
 * itself: the same bytes in the same order, then a failure of the stream where it happened. The
 * thread stops at a failure, so the stream is where it failed (the decoder counts what is left of
 * the object from there) and a reader that carries on reads it on its own thread again. The first
 * {@link #INLINE_BYTES} are read on the caller's thread, so the many small objects (a Kinesis
 * record, a one-event file) never wait on a hand-over.
 *
 * <p>Closing it waits for the thread to stop reading before the stream is closed (an {@link
 * java.util.zip.Inflater} is for one thread at a time).
 */
final class InflateAhead extends BlockInputStream {

  static final int INLINE_BYTES = 256 * 1024;
  private static final int CHUNK = 64 * 1024;
  private static final int CHUNKS_AHEAD = 4;

  private static final AtomicInteger THREADS = new AtomicInteger();

  // Threads are kept for a while so that an ingest of many objects does not start one per object.
  private static final ExecutorService INFLATERS =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          task -> {
            Thread thread = new Thread(task, "vigil-inflate-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  /** What the thread hands over: bytes, a failure of the stream, or its end. */
  private record Piece(byte[] bytes, int length, Throwable failure, boolean end) {}

  private static final Piece END = new Piece(null, 0, null, true);

  private final InputStream in;
  private final BlockingQueue<Piece> ahead = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
  private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(CHUNKS_AHEAD + 2);
  private volatile boolean closed;
  private long readInline;
  private Future<?> inflater;
  private boolean inline = true;
  private Piece current;
  private int position;
  private boolean ended;

  InflateAhead(InputStream in) {
    this.in = in;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (inline) {
      int n = in.read(b, off, len);
      if (n > 0 && inflater == null && (readInline += n) >= INLINE_BYTES) {
        inflater = INFLATERS.submit(this::readAhead);
        inline = false;
      }
      return n;
    }
    while (current == null || position == current.length()) {
      if (ended) {
        return -1;
      }
      recycle(current);
      current = take();
      position = 0;
      if (current.end()) {
        ended = true;
        current = null;
        return -1;
      }
      if (current.failure() != null) {
        Throwable failure = current.failure();
        current = null;
        awaitInflater(); // it stopped at the failure; the stream is ours again
        inline = true;
        throw rethrown(failure);
      }
    }
    int n = Math.min(len, current.length() - position);
    System.arraycopy(current.bytes(), position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    if (inline) {
      return in.available();
    }
    return current == null ? 0 : current.length() - position;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    ahead.clear(); // a thread waiting for room sees the close at once
    awaitInflater();
    in.close();
  }

  private void awaitInflater() throws InterruptedIOException {
    if (inflater == null) {
      return;
    }
    try {
      inflater.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the inflater stopped");
    } catch (ExecutionException unexpected) {
      // readAhead hands every failure over; nothing is left to report here
    }
  }

  // On the inflater's thread, until the end, a failure or a close.
  private void readAhead() {
    boolean end = false;
    boolean failed = false;
    while (!closed && !end && !failed) {
      byte[] bytes = spare.poll();
      if (bytes == null) {
        bytes = new byte[CHUNK];
      }
      int length = 0;
      Throwable failure = null;
      try {
        while (length < bytes.length) {
          int n = in.read(bytes, length, bytes.length - length);
          if (n < 0) {
            end = true;
            break;
          }
          length += n;
        }
      } catch (IOException | RuntimeException | Error e) {
        failure = e;
      }
      if (length > 0) {
        handOver(new Piece(bytes, length, null, false));
      }
      if (failure != null) {
        handOver(new Piece(null, 0, failure, false));
        failed = true;
      }
    }
    if (end) {
      handOver(END);
    }
  }

  private void handOver(Piece piece) {
    try {
      while (!closed && !ahead.offer(piece, 100, TimeUnit.MILLISECONDS)) {
        // the reader is busy parsing; wait for room or a close
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private Piece take() throws InterruptedIOException {
    try {
      return ahead.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for decompressed bytes");
    }
  }

  private void recycle(Piece used) {
    if (used != null && used.bytes() != null) {
      spare.offer(used.bytes());
    }
  }

  private static IOException rethrown(Throwable failure) {
    if (failure instanceof IOException io) {
      return io;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    throw (Error) failure;
  }
}
