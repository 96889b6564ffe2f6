package io.vigil.ingest.file;

import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.PublishResult;
import io.vigil.ingest.publish.UnitPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests log files ({@code vigil ingest PATH...}): each regular file, directories walked
 * recursively, is one unit with checkpoint key {@code file:/absolute/path} and version {@code
 * <size>@<mtime millis>}. A file already committed with the same version is skipped, so ingesting a
 * directory twice publishes it once; a file that changed since is published again. Bad lines go to
 * the DLQ with their {@code file:/path#line=n} location.
 */
public final class FileIngester {

  private static final Logger log = LoggerFactory.getLogger(FileIngester.class);

  private final LogDecoder decoder;
  private final UnitPublisher publisher;

  public FileIngester(LogDecoder decoder, UnitPublisher publisher) {
    this.decoder = decoder;
    this.publisher = publisher;
  }

  /** What happened to one file. */
  public enum Status {
    /** Its records and rejections were committed. */
    PUBLISHED,
    /** This version of it was committed before; nothing was published. */
    ALREADY_COMMITTED
  }

  /** A path that is not a regular file where only one may be read. */
  public static final class NotARegularFileException extends IOException {
    private static final long serialVersionUID = 1L;

    NotARegularFileException(Path path, BasicFileAttributes attributes) {
      super(path + " is " + kind(attributes) + ", not a regular file: not read");
    }

    private static String kind(BasicFileAttributes attributes) {
      if (attributes.isSymbolicLink()) {
        return "a symbolic link";
      }
      if (attributes.isDirectory()) {
        return "a directory";
      }
      return "a device, FIFO or socket";
    }
  }

  /** The outcome of one file: its status and, when published, what it published. */
  public record FileOutcome(Path file, Status status, PublishResult result) {}

  /** Totals of an {@link #ingest} call; {@code failures} names each file that could not be done. */
  public record Report(
      int published, int skipped, long records, long rejected, List<String> failures) {

    public boolean complete() {
      return failures.isEmpty();
    }
  }

  /**
   * Ingests every file under {@code paths}, one after the other. A file that fails (unreadable,
   * Kafka unavailable) is reported and the others go on.
   *
   * @throws IOException when a path given does not exist or a directory cannot be walked
   */
  public Report ingest(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      } else {
        throw new java.nio.file.NoSuchFileException(
            path.toString(), null, "no such file or directory");
      }
    }
    int published = 0;
    int skipped = 0;
    long records = 0;
    long rejected = 0;
    List<String> failures = new ArrayList<>();
    for (Path file : files) {
      try {
        FileOutcome outcome = ingestFile(file);
        if (outcome.status() == Status.PUBLISHED) {
          published++;
          records += outcome.result().records();
          rejected += outcome.result().rejected();
        } else {
          skipped++;
        }
      } catch (IOException | PublishException e) {
        log.warn("Could not ingest {}", file, e);
        failures.add(file + ": " + e.getMessage());
      }
    }
    return new Report(published, skipped, records, rejected, List.copyOf(failures));
  }

  /**
   * Ingests one file as one unit, unless this version of it is already committed.
   *
   * @throws IOException when the file cannot be read; nothing of it was published
   * @throws PublishException when Kafka did not commit it; it may be retried
   */
  public FileOutcome ingestFile(Path file) throws IOException, PublishException {
    return ingestFile(file, new LinkOption[0]);
  }

  /**
   * As {@link #ingestFile(Path)}, with {@link LinkOption#NOFOLLOW_LINKS}: only a regular file
   * itself is read, never the target of a symbolic link put in its place (the inbox, which anyone
   * who can write to it could point at {@code /proc/self/environ}).
   *
   * @throws NotARegularFileException when {@code file} is a link, a directory, a device, a FIFO or
   *     a socket; nothing was read
   */
  public FileOutcome ingestRegularFile(Path file) throws IOException, PublishException {
    return ingestFile(file, LinkOption.NOFOLLOW_LINKS);
  }

  private FileOutcome ingestFile(Path file, LinkOption... links)
      throws IOException, PublishException {
    Path absolute = file.toAbsolutePath().normalize();
    SourceRef source = SourceRef.file(absolute);
    BasicFileAttributes attributes =
        Files.readAttributes(absolute, BasicFileAttributes.class, links);
    if (links.length > 0 && !attributes.isRegularFile()) {
      throw new NotARegularFileException(absolute, attributes);
    }
    String version = attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
    Optional<Checkpoint> done = publisher.committed(source.location());
    if (done.isPresent() && done.get().version().equals(version)) {
      return new FileOutcome(absolute, Status.ALREADY_COMMITTED, null);
    }
    Checkpoint checkpoint =
        new Checkpoint(
            source.location(), version, 0, Map.of("size", Long.toString(attributes.size())));
    PublishResult result =
        publisher.publish(
            checkpoint,
            writer -> {
              try (InputStream in = Files.newInputStream(absolute, links)) {
                decoder.decode(in, source, writer);
              }
            });
    log.info("Ingested {}: {} records, {} rejected", absolute, result.records(), result.rejected());
    return new FileOutcome(absolute, Status.PUBLISHED, result);
  }
}
