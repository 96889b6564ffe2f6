package io.vigil.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files dropped into {@code vigil run}'s inbox during the load, each written in place (not moved
 * in, the harder case: the watcher must wait for it to stop changing) with one marker event: the
 * time from the file's close to its move into {@code done/} (picked up and published) and to its
 * marker's alert.
 */
final class InboxDrops implements AutoCloseable {

  private final Path inbox;
  private final CloudTrailLoad load;
  private final Latencies latencies;
  private final Map<Path, Long> written = new ConcurrentHashMap<>();
  private final Map<Path, Long> done = new ConcurrentHashMap<>();
  private final Thread watcher;
  private volatile boolean running = true;
  private int dropped;

  InboxDrops(Path inbox, CloudTrailLoad load, Latencies latencies) {
    this.inbox = inbox;
    this.load = load;
    this.latencies = latencies;
    this.watcher = new Thread(this::watchDone, "e2e-inbox-done");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Writes the next file; its clock starts when the write is closed. */
  void drop() {
    CloudTrailLoad.Unit unit = load.next(1, 1, Instant.now());
    Path file = inbox.resolve("e2e-" + dropped++ + ".json");
    try {
      Files.write(file, unit.json());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long closed = System.nanoTime();
    written.put(file, closed);
    unit.markerIds().forEach(id -> latencies.published(id, closed));
  }

  boolean complete() {
    return done.size() == written.size() && latencies.complete();
  }

  /** From each file's close to its move into done/. */
  Latencies.Distribution toDone() {
    return Latencies.Distribution.between(written, done);
  }

  int files() {
    return written.size();
  }

  private void watchDone() {
    while (running) {
      for (Path file : written.keySet()) {
        if (!done.containsKey(file)
            && Files.exists(inbox.resolve("done").resolve(file.getFileName()))) {
          done.put(file, System.nanoTime());
        }
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    watcher.interrupt();
    watcher.join(5_000);
  }
}
