package io.vigil.cli;

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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vigil ingest PATH... | s3://bucket/prefix [--from DATE] [--to DATE]}: publishes log files,
 * directories (recursively) or an S3 prefix to Kafka once, exactly once: what an earlier run
 * already committed is skipped, so a stopped backfill resumes where it was. Uses the configured
 * cluster or the embedded broker of {@code data.dir} (a running {@code vigil run}'s, or one started
 * for the command). Exit 0 when everything was done, 1 when some input failed (named on stderr).
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Publish log files, directories or an S3 prefix to Kafka, once.")
public final class IngestCommand implements Callable<Integer> {

  @ParentCommand VigilCommand parent;

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH|s3://BUCKET/PREFIX",
      description =
          "Files, directories, or S3 prefixes (with --from/--to over the CloudTrail and flow log"
              + " date layouts).")
  List<String> inputs;

  @Option(
      names = "--from",
      paramLabel = "YYYY-MM-DD",
      description = "S3 backfill: first day (inclusive).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "YYYY-MM-DD",
      description = "S3 backfill: last day (inclusive).")
  String to;

  @Override
  public Integer call() throws Exception {
    VigilConfig config = options.load(parent.env);
    List<Path> files = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String input : inputs) {
      if (input.startsWith("s3://")) {
        prefixes.add(input);
      } else if (Files.exists(Path.of(input))) {
        files.add(Path.of(input));
      } else {
        throw new ParameterException(spec.commandLine(), "no such file or directory: " + input);
      }
    }
    LocalDate fromDate = parseDate("--from", from);
    LocalDate toDate = parseDate("--to", to);
    PrintWriter err = spec.commandLine().getErr();
    boolean complete = true;
    try (KafkaSession kafka = KafkaSession.open(config);
        TransactionalUnitPublisher publisher =
            TransactionalUnitPublisher.start(
                kafka.connection().clientProperties(),
                // One-shot: a fresh id, since a crashed run's open transaction simply times out.
                config.get(ConfigKeys.INGEST_TRANSACTIONAL_ID) + "-cli-" + UUID.randomUUID(),
                kafka.topics(),
                new SimpleMeterRegistry())) {
      if (!files.isEmpty()) {
        FileIngester.Report report =
            new FileIngester(IngestComponents.decoder(config), publisher).ingest(files);
        err.printf(
            "files: %d published, %d already done, %d records, %d rejected to the DLQ%n",
            report.published(), report.skipped(), report.records(), report.rejected());
        report.failures().forEach(f -> err.println("failed: " + f));
        complete &= report.complete();
      }
      for (String prefix : prefixes) {
        var aws = IngestComponents.aws(config);
        S3Backfill backfill =
            new S3Backfill(
                aws.s3(),
                new S3ObjectIngester(aws.s3(), IngestComponents.decoder(config), publisher));
        S3Backfill.Summary summary =
            backfill.run(S3Backfill.Request.of(prefix, fromDate, toDate), new ProgressLine(err));
        err.println();
        err.println(prefix + ": " + describe(summary.progress()));
        complete &= summary.progress().objectsFailed() == 0;
      }
    }
    return complete ? VigilCommand.EXIT_OK : VigilCommand.EXIT_FAILURE;
  }

  private LocalDate parseDate(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return S3Backfill.parseDate(value);
    } catch (RuntimeException e) {
      throw new ParameterException(
          spec.commandLine(), option + ": expected a date YYYY-MM-DD, got '" + value + "'");
    }
  }

  static String describe(BackfillProgress p) {
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
    public void failed(io.vigil.ingest.s3.S3ObjectRef object, Exception cause) {
      err.println(
          (terminal ? System.lineSeparator() : "")
              + "failed: "
              + object
              + ": "
              + cause.getMessage());
    }
  }
}
