package io.vigil.cli;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.dlq.DeadLetterQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vigil dlq}: what went to the dead-letter topic, for the operator who must find out why
 * records were rejected: the newest dead letters since a time (reason, component, where the record
 * came from, the message), as a table, as JSON lines (the whole record, raw bytes in base64), or
 * counted by reason. Reads {@code vigil.dlq} on the configured cluster or the embedded broker of
 * the {@code data.dir}, as {@code vigil report} does, and changes nothing.
 */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "Show what went to the dead-letter topic: reason, source location, message.")
public final class DlqCommand implements Callable<Integer> {

  @ParentCommand VigilCommand parent;

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      defaultValue = "24h",
      description =
          "A duration back from now (e.g. 30m, 24h, 7d) or an ISO-8601 instant; default 24h.")
  String since;

  @Option(
      names = "--reason",
      paramLabel = "GLOB",
      description = "Only these reasons (globs with * and ?, repeatable), e.g. --reason 'json_*'.")
  List<String> reasons = new ArrayList<>();

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Show the newest N that match (default 100); --summary counts them all.")
  int limit;

  @Option(
      names = "--json",
      description = "One JSON object per dead letter (raw bytes in base64) instead of a table.")
  boolean json;

  @Option(
      names = "--summary",
      description = "Count the dead letters by reason and component instead of listing them.")
  boolean summary;

  @Override
  public Integer call() throws Exception {
    Instant from = from(Instant.now());
    if (limit < 1) {
      throw new ParameterException(
          spec.commandLine(), "--limit: expected a positive number, got " + limit);
    }
    DeadLetterQuery query = new DeadLetterQuery(from, reasons);
    VigilConfig config = options.load(parent.env);
    DeadLetterQuery.Selection selection = query.read(config);
    DeadLetterQuery.Output output =
        summary
            ? DeadLetterQuery.Output.SUMMARY
            : json ? DeadLetterQuery.Output.JSON : DeadLetterQuery.Output.TABLE;
    query.print(selection, output, limit, spec.commandLine().getOut(), spec.commandLine().getErr());
    return VigilCommand.EXIT_OK;
  }

  private Instant from(Instant now) {
    try {
      return DeadLetterQuery.since(since, now);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--since: expected a duration such as 24h or an ISO-8601 instant, got '" + since + "'");
    }
  }
}
