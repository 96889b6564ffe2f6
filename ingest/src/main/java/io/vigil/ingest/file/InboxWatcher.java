package io.vigil.ingest.file;

import io.vigil.ingest.file.FileIngester.FileOutcome;
import io.vigil.ingest.publish.PublishException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches an inbox directory ({@code ingest.files.inbox}, default {@code ./vigil-data/inbox}) so
 * that a new user can drop a log file in and see it flow: each new file is ingested once it is
 * complete, then moved to {@code done/} or, when nothing of it was usable or it could not be read,
 * to {@code failed/}.
 *
 * <p>Only regular files are read, never followed: an entry that is a symbolic link (to {@code
 * /etc/shadow}, say), a FIFO, a device or a socket goes to {@code failed/} unread, with a {@code
 * <name>.reason} file beside it saying why; so does a file that could not be read. Sub-directories
 * are left alone.
 *
 * <p>"Complete" means its size and modification time did not change between two scans: copying
 * tools give no other signal that works on every filesystem. Hidden files (a leading dot, as many
 * tools use for a file still being written) are left alone. When Kafka refuses a unit the file
 * stays in the inbox and is tried again on a later scan.
 */
public final class InboxWatcher implements AutoCloseable {

  /** The default inbox, relative to the working directory. */
  public static final Path DEFAULT_INBOX = Path.of("vigil-data", "inbox");

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);

  private final Path inbox;
  private final Path done;
  private final Path failed;
  private final FileIngester ingester;
  private final Duration pollInterval;
  private final Map<Path, String> lastSeen = new HashMap<>();
  // Guarded by its own lock, not the scan's: close() waits for a running scan to end.
  private final Object lifecycle = new Object();
  private ScheduledExecutorService scheduler;

  public InboxWatcher(Path inbox, FileIngester ingester, Duration pollInterval) throws IOException {
    this.inbox = inbox.toAbsolutePath().normalize();
    this.done = this.inbox.resolve("done");
    this.failed = this.inbox.resolve("failed");
    this.ingester = ingester;
    this.pollInterval = pollInterval;
    Files.createDirectories(done);
    Files.createDirectories(failed);
  }

  public Path inbox() {
    return inbox;
  }

  /** Scans every {@code pollInterval} on a thread of its own until {@link #close}. */
  public void start() {
    synchronized (lifecycle) {
      startScheduler();
    }
  }

  private void startScheduler() {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "vigil-inbox-watcher");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            scanOnce();
          } catch (RuntimeException | IOException e) {
            // The loop must outlive a bad scan (a file deleted under it, a full disk).
            log.warn("Inbox scan of {} failed", inbox, e);
          }
        },
        0,
        pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("Watching inbox {}", inbox);
  }

  /**
   * One pass: ingests and moves every file whose size and mtime are as the previous pass saw them,
   * and remembers the others. Returns the files moved in this pass.
   */
  public synchronized List<Path> scanOnce() throws IOException {
    Map<Path, String> seenNow = new HashMap<>();
    List<Path> candidates;
    try (Stream<Path> files = Files.list(inbox)) {
      candidates = files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    }
    List<Path> moved = new java.util.ArrayList<>();
    for (Path file : candidates) {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isDirectory()) {
        continue; // done/, failed/, or a folder of the user's: not ours to read
      }
      if (!attributes.isRegularFile()) {
        moved.add(refuse(file, new FileIngester.NotARegularFileException(file, attributes)));
        continue;
      }
      String state = attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
      if (!state.equals(lastSeen.get(file))) {
        seenNow.put(file, state);
        continue;
      }
      Path target = process(file);
      if (target != null) {
        moved.add(target);
      } else {
        seenNow.put(file, state);
      }
    }
    lastSeen.clear();
    lastSeen.putAll(seenNow);
    return moved;
  }

  private Path process(Path file) throws IOException {
    boolean usable;
    try {
      FileOutcome outcome = ingester.ingestRegularFile(file);
      usable =
          outcome.status() == FileIngester.Status.ALREADY_COMMITTED
              || outcome.result().records() > 0
              || outcome.result().rejected() == 0;
    } catch (PublishException e) {
      log.warn("Kafka did not take {}; it stays in the inbox for the next scan", file, e);
      return null;
    } catch (IOException e) {
      return refuse(file, e);
    }
    Path target = moveInto(file, usable ? done : failed);
    log.info("Inbox file {} moved to {}", file.getFileName(), target);
    return target;
  }

  /** Moves an entry that could not be read to failed/, with the reason in {@code <name>.reason}. */
  private Path refuse(Path file, IOException reason) throws IOException {
    Path target = moveInto(file, failed);
    Files.writeString(
        target.resolveSibling(target.getFileName() + ".reason"), reason.getMessage() + "\n");
    log.warn("Cannot read inbox entry {}; moved it to {}: {}", file, target, reason.getMessage());
    return target;
  }

  private static Path moveInto(Path file, Path directory) throws IOException {
    String name = file.getFileName().toString();
    Path target = directory.resolve(name);
    // A file of the same name was done before: keep both (a rename would replace it silently).
    for (int attempt = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); attempt++) {
      target = directory.resolve(name + "." + attempt);
    }
    return Files.move(file, target);
  }

  @Override
  public void close() {
    ScheduledExecutorService stopping;
    synchronized (lifecycle) {
      stopping = scheduler;
      scheduler = null;
    }
    if (stopping != null) {
      stopping.shutdown();
      try {
        if (!stopping.awaitTermination(30, TimeUnit.SECONDS)) {
          stopping.shutdownNow();
        }
      } catch (InterruptedException e) {
        stopping.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
