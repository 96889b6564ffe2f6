package io.vigil.app.dlq;

import io.vigil.app.config.ConfigType;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DeadLetterReader;
import io.vigil.app.runtime.DeadLetterReader.DeadLetter;
import io.vigil.app.runtime.KafkaSession;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.UntrustedText;
import io.vigil.sinks.delivery.Glob;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code vigil dlq} runs: reads the dead letters written since a time from {@code vigil.dlq}
 * (on the configured cluster or the embedded broker of the {@code data.dir}, changing nothing),
 * keeps those whose reason matches one of the globs, and prints the newest of them as a table or as
 * JSON lines (the whole record, raw bytes in base64), or counts them by reason and component.
 */
public final class DeadLetterQuery {

  private static final int MESSAGE_WIDTH = 160;

  /** How the matching dead letters are printed. */
  public enum Output {
    /** One line per dead letter: time, reason, component, source location, message. */
    TABLE,
    /** One JSON object per dead letter, with its {@code topic_position}. */
    JSON,
    /** Counts by reason and component, the largest first. */
    SUMMARY
  }

  /** The dead letters that matched, oldest first, and the positions that could not be decoded. */
  public record Selection(List<DeadLetter> matching, List<String> undecodable) {}

  private final Instant from;
  private final List<Pattern> reasons;

  /**
   * Dead letters written at or after {@code from} whose reason matches one of the globs, if any.
   */
  public DeadLetterQuery(Instant from, List<String> reasonGlobs) {
    this.from = from;
    this.reasons = reasonGlobs.stream().map(Glob::compile).toList();
  }

  /**
   * The start of a query from a duration back from {@code now} (e.g. 30m, 24h, 7d) or an ISO-8601
   * instant.
   *
   * @throws IllegalArgumentException when the text is neither
   */
  public static Instant since(String text, Instant now) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      Duration back = ConfigType.DURATION.parseText(text);
      return now.minus(back);
    }
  }

  /** Reads the dead-letter topic of the configured cluster or embedded broker. */
  public Selection read(VigilConfig config) throws InterruptedException {
    DeadLetterReader.Result read;
    try (KafkaSession kafka = KafkaSession.open(config)) {
      read = DeadLetterReader.read(kafka.connection(), kafka.topics().dlq(), from);
    }
    return select(read);
  }

  /** The letters of {@code read} whose reason matches, oldest first. */
  Selection select(DeadLetterReader.Result read) {
    List<DeadLetter> matching =
        read.letters().stream()
            .filter(
                d ->
                    reasons.isEmpty()
                        || reasons.stream()
                            .anyMatch(p -> p.matcher(d.rejected().getReason()).matches()))
            .sorted(Comparator.comparing((DeadLetter d) -> d.rejected().getRejectedAt()))
            .toList();
    return new Selection(matching, read.undecodable());
  }

  /**
   * Prints the selection to {@code out} (the newest {@code limit} unless summarised), then how many
   * matched and the undecodable positions to {@code err}.
   */
  public void print(
      Selection selection, Output output, int limit, PrintWriter out, PrintWriter err) {
    List<DeadLetter> matching = selection.matching();
    boolean summary = output == Output.SUMMARY;
    if (summary) {
      printSummary(matching, out);
    } else {
      List<DeadLetter> shown =
          matching.subList(Math.max(0, matching.size() - limit), matching.size());
      for (DeadLetter letter : shown) {
        out.println(output == Output.JSON ? jsonLine(letter) : tableLine(letter.rejected()));
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
    for (String problem : selection.undecodable()) {
      err.println("undecodable dead letter " + problem);
    }
  }

  // Every field may hold what a log writer chose (a file name, an event's text): shown escaped, so
  // that it can neither forge a line of the table nor send escape sequences to the terminal.
  private static String tableLine(Rejected r) {
    String message = UntrustedText.forLine(r.getMessage().replaceAll(" +", " "));
    if (message.length() > MESSAGE_WIDTH) {
      message = message.substring(0, MESSAGE_WIDTH - 3) + "...";
    }
    return String.join(
        "  ",
        r.getRejectedAt().toString(),
        UntrustedText.forLine(r.getReason()),
        UntrustedText.forLine(r.getComponent()),
        UntrustedText.forLine(r.getSourceLocation()),
        message);
  }

  private static String jsonLine(DeadLetter letter) {
    var node = RecordJson.toJson(letter.rejected());
    node.put("topic_position", letter.position());
    return UntrustedText.forJson(node.toString());
  }

  private static void printSummary(List<DeadLetter> letters, PrintWriter out) {
    Map<String, Long> counts =
        new TreeMap<>(
            letters.stream()
                .collect(
                    Collectors.groupingBy(
                        d ->
                            UntrustedText.forLine(d.rejected().getReason())
                                + "  "
                                + UntrustedText.forLine(d.rejected().getComponent()),
                        Collectors.counting())));
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.printf("%8d  %s%n", e.getValue(), e.getKey()));
  }
}
