package io.vigil.app.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.IngestComponents;
import io.vigil.app.runtime.KafkaSession;
import io.vigil.ingest.file.FileIngester;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.s3.BackfillListener;
import io.vigil.ingest.s3.BackfillProgress;
import io.vigil.ingest.s3.S3Backfill;
import io.vigil.ingest.s3.S3ObjectIngester;
import io.vigil.ingest.s3.S3ObjectRef;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What {@code vigil ingest} runs: publishes log files, directories (recursively) and S3 prefixes to
 * Kafka once, exactly once, through a transactional publisher of its own (what an earlier run
 * already committed is skipped, so a stopped backfill resumes where it was), on the configured
 * cluster or the embedded broker of {@code data.dir}. Progress and failures go to a writer. S3
 * prefixes are filtered by {@code ingest.s3.filters}, as notifications are, and all of them are
 * listed before anything is published.
 */
public final class OneShotIngest {

  private OneShotIngest() {}

  /**
   * Publishes the files, then each S3 prefix (between {@code from} and {@code to}, inclusive, when
   * given), reporting on {@code err}. True when every input was published or already done.
   *
   * @throws S3Backfill.UndatableObjectException when a date range is given and an object under a
   *     prefix has no recognisable day; nothing was published
   */
  public static boolean run(
      VigilConfig config,
      List<Path> files,
      List<String> prefixes,
      LocalDate from,
      LocalDate to,
      PrintWriter err)
      throws Exception {
    boolean complete = true;
    try (KafkaSession kafka = KafkaSession.open(config);
        TransactionalUnitPublisher publisher =
            TransactionalUnitPublisher.start(
                kafka.connection().clientProperties(),
                // One-shot: a fresh id, since a crashed run's open transaction simply times out.
                config.get(ConfigKeys.INGEST_TRANSACTIONAL_ID) + "-cli-" + UUID.randomUUID(),
                kafka.topics(),
                new SimpleMeterRegistry())) {
      // Every prefix is listed before anything is published: a prefix that cannot be dated
      // (UndatableObjectException) stops the command with nothing done.
      List<S3Backfill.Listing> listings = new ArrayList<>();
      S3Backfill backfill = null;
      if (!prefixes.isEmpty()) {
        var aws = IngestComponents.aws(config);
        backfill =
            new S3Backfill(
                aws.s3(),
                new S3ObjectIngester(
                    aws.s3(), IngestComponents.decoder(config), publisher, "ingest.s3-backfill"));
        for (String prefix : prefixes) {
          listings.add(
              backfill.list(
                  S3Backfill.Request.of(prefix, from, to)
                      .withFilters(IngestComponents.s3Filters(config))));
        }
      }
      if (!files.isEmpty()) {
        FileIngester.Report report =
            new FileIngester(IngestComponents.decoder(config), publisher).ingest(files);
        err.printf(
            "files: %d published, %d already done, %d records, %d rejected to the DLQ%n",
            report.published(), report.skipped(), report.records(), report.rejected());
        report.failures().forEach(f -> err.println("failed: " + f));
        complete &= report.complete();
      }
      for (S3Backfill.Listing listing : listings) {
        S3Backfill.Summary summary = backfill.run(listing, new ProgressLine(err));
        err.println();
        err.println(listing.request().uri() + ": " + describe(summary.progress()));
        complete &= summary.progress().objectsFailed() == 0;
      }
    }
    return complete;
  }

  /** One line of backfill progress: objects, records, megabytes, throughput and ETA. */
  public static String describe(BackfillProgress p) {
    String eta = p.eta().map(d -> ", ETA " + format(d)).orElse("");
    return String.format(
        "%d/%d objects (%d already done, %d failed), %d records, %.1f MB, %.1f MB/s%s",
        p.objectsFinished(),
        p.objectsTotal(),
        p.objectsSkipped(),
        p.objectsFailed(),
        p.records(),
        p.bytesFinished() / 1e6,
        p.bytesPerSecond() / 1e6,
        eta);
  }

  private static String format(Duration d) {
    return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }

  /**
   * Progress on one terminal line, rewritten in place; a plain line per object when not a terminal.
   */
  private static final class ProgressLine implements BackfillListener {
    private final PrintWriter err;
    private final boolean terminal = System.console() != null;

    ProgressLine(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void listed(long objects, long bytes) {
      err.printf("listed %d objects, %.1f MB%n", objects, bytes / 1e6);
    }

    @Override
    public void progress(BackfillProgress progress) {
      err.print(
          terminal
              ? "\r" + describe(progress) + "   "
              : describe(progress) + System.lineSeparator());
      err.flush();
    }

    @Override
    public void failed(S3ObjectRef object, Exception cause) {
      err.println(
          (terminal ? System.lineSeparator() : "")
              + "failed: "
              + object
              + ": "
              + cause.getMessage());
    }
  }
}
