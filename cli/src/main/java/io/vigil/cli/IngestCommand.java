package io.vigil.cli;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.ingest.OneShotIngest;
import io.vigil.ingest.s3.S3Backfill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
 * for the command). Exit 0 when everything was done, 1 when some input failed (named on stderr), 2
 * when a date range is given over S3 keys whose day cannot be told (nothing is published then).
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
          "Files, directories, or S3 prefixes (with --from/--to over AWS's CloudTrail and VPC flow"
              + " log layouts, Hive-compatible and hourly included; keys of another layout are"
              + " refused, never skipped).")
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
    boolean complete;
    try {
      complete =
          OneShotIngest.run(config, files, prefixes, fromDate, toDate, spec.commandLine().getErr());
    } catch (S3Backfill.UndatableObjectException e) {
      // A range over keys that cannot be dated: refused before anything was published.
      spec.commandLine().getErr().println("vigil: ingest: " + e.getMessage());
      return VigilCommand.EXIT_USAGE;
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
}
