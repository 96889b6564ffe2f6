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
import java.util.function.LongSupplier;
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
 * <p>"Complete" means its size and modification time have not changed for the settle time (500 ms
 * by default), watched by a look at the directory every half of it: copying tools give no other
 * signal that works on every filesystem. So a complete file is taken between one and one and a half
 * settle times after its last write, and a file whose writer pauses longer than that is taken
 * half-written: write such files elsewhere (or under a hidden name) and move them in, which is
 * atomic. Hidden files (a leading dot, as many tools use for a file still being written) are left
 * alone. When Kafka refuses a unit the file stays in the inbox and is tried again on a later look.
 */
public final class InboxWatcher implements AutoCloseable {

  /** The default inbox, relative to the working directory. */
  public static final Path DEFAULT_INBOX = Path.of("vigil-data", "inbox");

  /** How long a file must stay unchanged before it is taken as complete. */
  public static final Duration DEFAULT_SETTLE = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);

  private final Path inbox;
  private final Path done;
  private final Path failed;
  private final FileIngester ingester;
  private final Duration settle;
  private final LongSupplier nanoTime;
  private final Map<Path, Seen> lastSeen = new HashMap<>();
  // Guarded by its own lock, not the scan's: close() waits for a running scan to end.
  private final Object lifecycle = new Object();
  private ScheduledExecutorService scheduler;

  /** A file's size and modification time, and since when (nanoTime) they have been so. */
  private record Seen(String state, long sinceNanos) {}

  /**
   * @param settle how long a file's size and modification time must stay unchanged before it is
   *     taken as complete; {@link #scanOnce} called by hand with {@link Duration#ZERO} takes a file
   *     at the second look that finds it unchanged
   */
  public InboxWatcher(Path inbox, FileIngester ingester, Duration settle) throws IOException {
    this(inbox, ingester, settle, System::nanoTime);
  }

  InboxWatcher(Path inbox, FileIngester ingester, Duration settle, LongSupplier nanoTime)
      throws IOException {
    this.nanoTime = nanoTime;
    this.inbox = inbox.toAbsolutePath().normalize();
    this.done = this.inbox.resolve("done");
    this.failed = this.inbox.resolve("failed");
    this.ingester = ingester;
    this.settle = settle;
    Files.createDirectories(done);
    Files.createDirectories(failed);
  }

  public Path inbox() {
    return inbox;
  }

  /** Looks at the inbox every half settle time on a thread of its own until {@link #close}. */
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
        Math.max(10, settle.toMillis() / 2),
        TimeUnit.MILLISECONDS);
    log.info("Watching inbox {}", inbox);
  }

  /**
   * One look: ingests and moves every file whose size and mtime are as earlier looks saw them for
   * at least the settle time, and remembers the others. Returns the files moved in this look.
   */
  public synchronized List<Path> scanOnce() throws IOException {
    long now = nanoTime.getAsLong();
    Map<Path, Seen> seenNow = new HashMap<>();
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
      Seen before = lastSeen.get(file);
      if (before == null || !before.state().equals(state)) {
        seenNow.put(file, new Seen(state, now));
        continue;
      }
      if (now - before.sinceNanos() < settle.toNanos()) {
        seenNow.put(file, before);
        continue;
      }
      Path target = process(file);
      if (target != null) {
        moved.add(target);
      } else {
        seenNow.put(file, before);
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
