package io.vigil.app.scan;

import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.streams.detection.DetectionEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of {@code vigil scan --threads N}: they decode files and hand the records over
 * in batches to the one scanning thread, which applies the stateful part (duplicate filter,
 * correlations, suppression) in exactly the order of a sequential scan: files in the given order,
 * each file's records and rejections in file order. The output is therefore the sequential scan's.
 *
 * <p>Evaluating the rules on a batch (stateless: {@link DetectionEngine} is thread-safe, and each
 * record gets its own rule view) is done by whichever side has the time: a worker whose batch finds
 * its queue full (the scanning thread is behind) evaluates it before waiting, and the scanning
 * thread evaluates any batch that reaches it unevaluated. So many small files keep the rules on the
 * workers, while one big file, decoded by one worker, shares the work with the scanning thread
 * instead of leaving it idle (docs/benchmarks.md, {@code ScanBenchmark.scanCommand}).
 *
 * <p>Memory is bounded whatever the input: at most {@link Bounds#filesInFlight} files are decoded
 * ahead of the scanning thread, and each of them hands over through a queue of at most {@link
 * Bounds#batchesPerFile} batches of at most {@link Bounds#recordsPerBatch} records (or {@link
 * Bounds#charsPerBatch} characters of raw input, whichever comes first). A worker whose queue is
 * full waits; so one 1 GiB file is decoded at the pace of the scanning thread, and 100,000 small
 * files are never all held at once. No deadlock: files are started in order on a first-in first-out
 * pool and the scanning thread waits only for the oldest file not yet done, which has a worker
 * (every older file's worker has finished).
 *
 * <p>A failure of a worker (a bug, out of memory) reaches the scanning thread where the sequential
 * scan would have met it, and is rethrown there; {@link #close()} stops the workers (interrupting
 * any that wait) and waits briefly for them. Worker threads are daemons, so that a stuck one can
 * never keep the JVM alive.
 */
public final class ScanWorkers implements AutoCloseable {

  /** What a worker found, received on the scanning thread in file order. */
  public interface Receiver {

    void cloudTrail(CloudTrailEvent event, DetectionEngine.Evaluation evaluation);

    void flow(FlowRecord record, DetectionEngine.Evaluation evaluation);

    void rejected(Rejected rejected);

    /** The file was read to its end (after its records and rejections). */
    void read(Path file, DecodeSummary summary);

    /** Reading the file failed (after whatever records came before the failure). */
    void unreadable(Path file, IOException cause);
  }

  /**
   * How far the workers may run ahead of the scanning thread.
   *
   * @param filesInFlight files started and not yet fully received, at most
   * @param batchesPerFile batches waiting in one file's queue, at most
   * @param recordsPerBatch records (and rejections) in one batch, at most
   * @param charsPerBatch raw input characters in one batch, about: a batch is handed over as soon
   *     as it reaches this (records of up to the 1 MiB record limit make few-record batches)
   */
  public record Bounds(
      int filesInFlight, int batchesPerFile, int recordsPerBatch, int charsPerBatch) {

    public Bounds {
      if (filesInFlight < 1 || batchesPerFile < 1 || recordsPerBatch < 1 || charsPerBatch < 1) {
        throw new IllegalArgumentException("every bound must be at least 1: " + this);
      }
    }

    /**
     * Defaults for {@code threads} workers: twice as many files as workers, so that a worker that
     * finishes a file finds the next one waiting while the scanning thread still reads the older
     * ones; four batches of 256 records or 256 Ki characters per file. At worst about 25 MB of
     * records per worker: two files of five batches (four queued, one being filled), each batch 256
     * Ki characters plus at most one record over that (under the 1 MiB record limit), held about
     * twice (the raw event and its parsed fields). Usually far less: most CloudTrail files are
     * small.
     */
    public static Bounds forThreads(int threads) {
      return new Bounds(2 * threads, 4, 256, 256 * 1024);
    }
  }

  /** A stand-in size for a flow record, whose raw line is not kept. */
  private static final int FLOW_RECORD_CHARS = 200;

  /** How long the scanning thread waits on a queue before checking that its worker still lives. */
  private static final long LIVENESS_CHECK_MILLIS = 200;

  /** How long {@link #close()} waits for interrupted workers to leave. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final LogDecoder decoder;
  private final DetectionEngine engine;
  private final Bounds bounds;
  private final ExecutorService pool;
  private volatile boolean cancelled;

  public ScanWorkers(LogDecoder decoder, DetectionEngine engine, int threads, Bounds bounds) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.decoder = decoder;
    this.engine = engine;
    this.bounds = bounds;
    AtomicInteger count = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, "vigil-scan-worker-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Scans {@code files}, calling {@code receiver} on this thread, in file order, for everything
   * found. Returns when every file is done; throws what a worker threw (at the place in the order
   * where it happened), or {@link InterruptedException} when this thread is interrupted.
   */
  public void scan(List<Path> files, Receiver receiver) throws InterruptedException {
    Deque<FileJob> inFlight = new ArrayDeque<>();
    int next = 0;
    for (int i = 0; i < files.size(); i++) {
      while (next < files.size() && inFlight.size() < bounds.filesInFlight()) {
        FileJob job = new FileJob(files.get(next++));
        job.future = pool.submit(job);
        inFlight.add(job);
      }
      receive(inFlight.poll(), receiver);
    }
  }

  private void receive(FileJob job, Receiver receiver) throws InterruptedException {
    while (true) {
      Handover handover = job.take();
      if (handover instanceof Batch batch) {
        batch.evaluate(engine);
        for (int i = 0; i < batch.size(); i++) {
          Object record = batch.records()[i];
          if (record instanceof CloudTrailEvent event) {
            receiver.cloudTrail(event, batch.evaluations()[i]);
          } else if (record instanceof FlowRecord flow) {
            receiver.flow(flow, batch.evaluations()[i]);
          } else {
            receiver.rejected((Rejected) record);
          }
        }
      } else {
        End end = (End) handover;
        if (end.failure() != null) {
          throw rethrown(end.failure());
        }
        if (end.summary() != null) {
          receiver.read(job.file, end.summary());
        }
        if (end.unreadable() != null) {
          receiver.unreadable(job.file, end.unreadable());
        }
        return;
      }
    }
  }

  /**
   * Stops the workers: those waiting to hand over are interrupted, and none starts another file.
   */
  @Override
  public void close() {
    cancelled = true;
    pool.shutdownNow();
    try {
      pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static RuntimeException rethrown(Throwable failure) {
    if (failure instanceof RuntimeException runtime) {
      return runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("scan worker failed: " + failure, failure);
  }

  /** One file's records, evaluated, or its end. */
  private sealed interface Handover permits Batch, End {}

  /**
   * Records, flow records and rejections in file order; once evaluated, a record's evaluation at
   * the same index (a rejection's is null). Evaluated by one thread: the worker before the handover
   * or the scanning thread after it (the queue orders the two).
   */
  private static final class Batch implements Handover {
    private final Object[] records;
    private final int size;
    private DetectionEngine.Evaluation[] evaluations;

    Batch(Object[] records, int size) {
      this.records = records;
      this.size = size;
    }

    Object[] records() {
      return records;
    }

    int size() {
      return size;
    }

    DetectionEngine.Evaluation[] evaluations() {
      return evaluations;
    }

    void evaluate(DetectionEngine engine) {
      if (evaluations != null) {
        return;
      }
      DetectionEngine.Evaluation[] done = new DetectionEngine.Evaluation[size];
      for (int i = 0; i < size; i++) {
        if (records[i] instanceof CloudTrailEvent event) {
          done[i] = engine.evaluate(event);
        } else if (records[i] instanceof FlowRecord flow) {
          done[i] = engine.evaluate(flow);
        }
      }
      evaluations = done;
    }
  }

  /**
   * The end of a file: read ({@code summary}), unreadable ({@code unreadable}; both when only the
   * closing failed, as in the sequential scan), or the worker failed ({@code failure}).
   */
  private record End(DecodeSummary summary, IOException unreadable, Throwable failure)
      implements Handover {}

  /** Thrown inside a worker to leave a file that nobody will read any more. */
  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("scan cancelled", null, false, false);
    }
  }

  /** One file: decoded, evaluated and handed over in batches by a worker. */
  private final class FileJob implements Runnable, DecodeListener {
    final Path file;
    final BlockingQueue<Handover> queue = new ArrayBlockingQueue<>(bounds.batchesPerFile());
    Future<?> future;
    private Object[] records;
    private int size;
    private long chars;

    FileJob(Path file) {
      this.file = file;
    }

    @Override
    public void run() {
      End end;
      try {
        DecodeSummary summary = null;
        IOException unreadable = null;
        try (InputStream in = Files.newInputStream(file)) {
          summary = decoder.decode(in, SourceRef.file(file), this);
        } catch (IOException e) {
          unreadable = e;
        }
        handOver();
        end = new End(summary, unreadable, null);
      } catch (Cancelled cancelled) {
        return;
      } catch (RuntimeException | Error e) {
        // The records before the failure still go first, as they would in a sequential scan.
        try {
          handOver();
        } catch (Cancelled cancelled) {
          return;
        }
        end = new End(null, null, e);
      }
      try {
        put(end);
      } catch (Cancelled cancelled) {
        // the scan is over
      }
    }

    @Override
    public void cloudTrail(CloudTrailEvent event, String position) {
      add(event, event.getRawJson().length());
    }

    @Override
    public void flow(FlowRecord record, String position) {
      add(record, FLOW_RECORD_CHARS);
    }

    @Override
    public void rejected(Rejected rejected) {
      add(rejected, rejected.getRaw().remaining());
    }

    private void add(Object record, int recordChars) {
      if (records == null) {
        records = new Object[bounds.recordsPerBatch()];
      }
      records[size] = record;
      size++;
      chars += recordChars;
      if (size == records.length || chars >= bounds.charsPerBatch()) {
        handOver();
      }
    }

    private void handOver() {
      if (size == 0) {
        return;
      }
      Batch batch = new Batch(records, size);
      records = null;
      size = 0;
      chars = 0;
      if (!queue.offer(batch)) {
        // The scanning thread is behind: evaluate here rather than only wait.
        batch.evaluate(engine);
        put(batch);
      }
    }

    private void put(Handover handover) {
      try {
        while (!cancelled) {
          if (queue.offer(handover, LIVENESS_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new Cancelled();
    }

    /**
     * The next handover; if the worker ended without one (it died where even reporting its failure
     * failed), what it threw.
     */
    Handover take() throws InterruptedException {
      while (true) {
        Handover handover = queue.poll(LIVENESS_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (handover != null) {
          return handover;
        }
        if (future != null && future.isDone()) {
          handover = queue.poll();
          if (handover != null) {
            return handover;
          }
          try {
            future.get();
          } catch (ExecutionException e) {
            throw rethrown(e.getCause());
          }
          throw new IllegalStateException(
              "scan worker for " + file + " ended without finishing the file");
        }
      }
    }
  }
}
