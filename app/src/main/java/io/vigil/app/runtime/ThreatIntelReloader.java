package io.vigil.app.runtime;

import io.vigil.streams.detection.DetectionEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the detection engine current with the threat-intelligence files: checks their size and
 * modification time every interval and, when one changed, loads a new engine and swaps it in for
 * the records that follow. A file that cannot be read or rules that fail to load leave the running
 * engine in place, with a warning.
 */
final class ThreatIntelReloader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ThreatIntelReloader.class);

  private final AtomicReference<DetectionEngine> engine;
  private final List<Path> files;
  private final Supplier<DetectionEngine> loader;
  private final ScheduledExecutorService scheduler;
  private List<String> lastSeen;

  ThreatIntelReloader(
      DetectionEngine initial,
      List<Path> files,
      Supplier<DetectionEngine> loader,
      Duration interval) {
    this.engine = new AtomicReference<>(initial);
    this.files = List.copyOf(files);
    this.loader = loader;
    this.lastSeen = fingerprints();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-threat-intel-reload");
              t.setDaemon(true);
              return t;
            });
    if (!files.isEmpty()) {
      scheduler.scheduleWithFixedDelay(
          this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The engine to use now. */
  Supplier<DetectionEngine> current() {
    return engine::get;
  }

  /** Reloads when a file changed; returns whether a new engine was swapped in. */
  synchronized boolean reloadIfChanged() {
    List<String> now = fingerprints();
    if (now.equals(lastSeen)) {
      return false;
    }
    try {
      engine.set(loader.get());
      lastSeen = now;
      log.info("Reloaded the threat-intelligence lists from {}", files);
      return true;
    } catch (RuntimeException e) {
      log.warn("Kept the previous threat-intelligence lists: {}", e.getMessage());
      return false;
    }
  }

  private List<String> fingerprints() {
    List<String> prints = new ArrayList<>();
    for (Path file : files) {
      try {
        prints.add(
            file + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis());
      } catch (IOException e) {
        prints.add(file + ":unreadable");
      }
    }
    return prints;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
