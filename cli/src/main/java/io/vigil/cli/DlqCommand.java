package io.vigil.cli;

import io.vigil.app.config.ConfigType;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DeadLetterReader;
import io.vigil.app.runtime.DeadLetterReader.DeadLetter;
import io.vigil.app.runtime.KafkaSession;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.Rejected;
import io.vigil.sinks.delivery.Glob;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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

  private static final int MESSAGE_WIDTH = 160;

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
    List<Pattern> patterns = reasons.stream().map(Glob::compile).toList();
    VigilConfig config = options.load(parent.env);
    DeadLetterReader.Result read;
    try (KafkaSession kafka = KafkaSession.open(config)) {
      read = DeadLetterReader.read(kafka.connection(), kafka.topics().dlq(), from);
    }
    List<DeadLetter> matching =
        read.letters().stream()
            .filter(
                d ->
                    patterns.isEmpty()
                        || patterns.stream()
                            .anyMatch(p -> p.matcher(d.rejected().getReason()).matches()))
            .sorted(Comparator.comparing((DeadLetter d) -> d.rejected().getRejectedAt()))
            .toList();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (summary) {
      printSummary(matching, out);
    } else {
      List<DeadLetter> shown =
          matching.subList(Math.max(0, matching.size() - limit), matching.size());
      for (DeadLetter letter : shown) {
        out.println(json ? jsonLine(letter) : tableLine(letter.rejected()));
      }
    }
    out.flush();
    err.println(
        matching.size()
            + " dead letter(s) since "
            + from
            + (summary || matching.size() <= limit
                ? ""
                : ", the newest " + limit + " shown (--limit)"));
    for (String problem : read.undecodable()) {
      err.println("undecodable dead letter " + problem);
    }
    return VigilCommand.EXIT_OK;
  }

  private Instant from(Instant now) {
    try {
      return Instant.parse(since);
    } catch (DateTimeParseException notAnInstant) {
      try {
        Duration back = ConfigType.DURATION.parseText(since);
        return now.minus(back);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--since: expected a duration such as 24h or an ISO-8601 instant, got '" + since + "'");
      }
    }
  }

  private static String tableLine(Rejected r) {
    String message = r.getMessage().replaceAll("\\s+", " ");
    if (message.length() > MESSAGE_WIDTH) {
      message = message.substring(0, MESSAGE_WIDTH - 3) + "...";
    }
    return String.join(
        "  ",
        r.getRejectedAt().toString(),
        r.getReason(),
        r.getComponent(),
        r.getSourceLocation(),
        message);
  }

  private static String jsonLine(DeadLetter letter) {
    var node = RecordJson.toJson(letter.rejected());
    node.put("topic_position", letter.position());
    return node.toString();
  }

  private static void printSummary(List<DeadLetter> letters, PrintWriter out) {
    Map<String, Long> counts =
        new TreeMap<>(
            letters.stream()
                .collect(
                    Collectors.groupingBy(
                        d -> d.rejected().getReason() + "  " + d.rejected().getComponent(),
                        Collectors.counting())));
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.printf("%8d  %s%n", e.getValue(), e.getKey()));
  }
}
