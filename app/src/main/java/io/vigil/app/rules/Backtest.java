package io.vigil.app.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.scan.DetectorFeed;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertJson;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.UntrustedText;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.OfflineDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code vigil rules backtest} runs: a candidate and a baseline rule set over the same logs,
 * decoded once and fed to one offline detector each (the scan's semantics), and what changed: the
 * alerts per rule and per day (by first event, UTC) in each, and the alerts only one of them
 * raised, matched by dedup key (rule, account, entity and suppression window). A rule change is
 * judged on real data before it ships.
 */
public final class Backtest {

  /** Both runs' final alerts (each alert in its last state), and what was read. */
  public record Result(
      List<Alert> baseline, List<Alert> candidate, long files, long records, long rejected) {

    /** Alerts the candidate raises and the baseline does not. */
    public List<Alert> added() {
      return only(candidate, baseline);
    }

    /** Alerts the baseline raises and the candidate does not. */
    public List<Alert> removed() {
      return only(baseline, candidate);
    }

    /** Alert counts per rule and day (UTC date of the first event): rule to day to count. */
    public static Map<String, Map<String, Integer>> volume(List<Alert> alerts) {
      Map<String, Map<String, Integer>> volume = new TreeMap<>();
      for (Alert alert : alerts) {
        String day =
            alert.getFirstSeen().length() >= 10 ? alert.getFirstSeen().substring(0, 10) : "?";
        volume.computeIfAbsent(alert.getRuleId(), r -> new TreeMap<>()).merge(day, 1, Integer::sum);
      }
      return volume;
    }

    private static List<Alert> only(List<Alert> these, List<Alert> notThose) {
      Set<String> keys = new HashSet<>();
      notThose.forEach(a -> keys.add(a.getDedupKey()));
      return these.stream()
          .filter(a -> !keys.contains(a.getDedupKey()))
          .sorted(Comparator.comparing(Alert::getFirstSeen).thenComparing(Alert::getRuleId))
          .toList();
    }
  }

  private Backtest() {}

  /**
   * Runs both rule sets over {@code files} (in order), each with its own settings.
   *
   * @throws UncheckedIOException when a file cannot be read
   */
  public static Result run(
      DetectionEngine baselineEngine,
      DetectionSettings baselineSettings,
      DetectionEngine candidateEngine,
      DetectionSettings candidateSettings,
      LogDecoder decoder,
      List<Path> files) {
    Map<String, Alert> baseline = new LinkedHashMap<>();
    Map<String, Alert> candidate = new LinkedHashMap<>();
    OfflineDetector baselineDetector =
        new OfflineDetector(
            baselineEngine, baselineSettings, a -> baseline.put(a.getDedupKey(), a));
    OfflineDetector candidateDetector =
        new OfflineDetector(
            candidateEngine, candidateSettings, a -> candidate.put(a.getDedupKey(), a));
    long[] rejected = {0};
    DetectorFeed baselineFeed = new DetectorFeed(baselineDetector, r -> rejected[0]++);
    DetectorFeed candidateFeed = new DetectorFeed(candidateDetector, r -> {});
    DecodeListener both =
        new DecodeListener() {
          @Override
          public void cloudTrail(CloudTrailEvent event, String position) {
            baselineFeed.cloudTrail(event, position);
            candidateFeed.cloudTrail(event, position);
          }

          @Override
          public void flow(FlowRecord record, String position) {
            baselineFeed.flow(record, position);
            candidateFeed.flow(record, position);
          }

          @Override
          public void rejected(Rejected dead) {
            baselineFeed.rejected(dead);
            candidateFeed.rejected(dead);
          }
        };
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        decoder.decode(in, SourceRef.file(file), both);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    baselineDetector.finish();
    candidateDetector.finish();
    return new Result(
        List.copyOf(baseline.values()),
        List.copyOf(candidate.values()),
        files.size(),
        baselineFeed.records(),
        rejected[0]);
  }

  /**
   * The result as a table: per rule, the alerts in the baseline and the candidate and the
   * candidate's per day; then the alerts added and removed. Log-controlled text is escaped.
   */
  public static void printTable(Result result, PrintWriter out) {
    out.printf(
        "backtest over %d files, %d records (%d rejected): baseline %d alerts, candidate %d"
            + " alerts%n",
        result.files(),
        result.records(),
        result.rejected(),
        result.baseline().size(),
        result.candidate().size());
    Map<String, Map<String, Integer>> before = Result.volume(result.baseline());
    Map<String, Map<String, Integer>> after = Result.volume(result.candidate());
    TreeSet<String> rules = new TreeSet<>(before.keySet());
    rules.addAll(after.keySet());
    out.printf(
        "%n%-44s %9s %9s %7s  %s%n",
        "RULE", "BASELINE", "CANDIDATE", "CHANGE", "CANDIDATE PER DAY");
    for (String rule : rules) {
      int was = total(before.get(rule));
      int is = total(after.get(rule));
      StringBuilder days = new StringBuilder();
      after
          .getOrDefault(rule, Map.of())
          .forEach((day, n) -> days.append(day).append(' ').append(n).append("  "));
      out.printf(
          "%-44s %9d %9d %7s  %s%n",
          UntrustedText.forLine(rule),
          was,
          is,
          is == was ? "=" : String.format("%+d", is - was),
          days.toString().strip());
    }
    printAlerts("added", result.added(), out);
    printAlerts("removed", result.removed(), out);
    out.flush();
  }

  private static void printAlerts(String what, List<Alert> alerts, PrintWriter out) {
    out.printf("%n%s (%d)%n", what, alerts.size());
    for (Alert alert : alerts) {
      out.println(
          UntrustedText.forLine(
              "  "
                  + alert.getFirstSeen()
                  + "  "
                  + alert.getSeverity()
                  + "  "
                  + alert.getRuleId()
                  + "  "
                  + alert.getEntity()
                  + (alert.getAccountId() == null ? "" : "  (" + alert.getAccountId() + ")")));
    }
  }

  private static int total(Map<String, Integer> days) {
    return days == null ? 0 : days.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * The result as one JSON object: {@code files}, {@code records}, {@code rejected}, {@code rules}
   * (per rule: {@code baseline}, {@code candidate}, {@code candidate_by_day}, {@code
   * baseline_by_day}), and {@code added} and {@code removed}, alerts as {@code vigil scan} prints
   * them.
   */
  public static String json(Result result) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("files", result.files());
    root.put("records", result.records());
    root.put("rejected", result.rejected());
    Map<String, Map<String, Integer>> before = Result.volume(result.baseline());
    Map<String, Map<String, Integer>> after = Result.volume(result.candidate());
    TreeSet<String> ruleIds = new TreeSet<>(before.keySet());
    ruleIds.addAll(after.keySet());
    ArrayNode rules = root.putArray("rules");
    for (String rule : ruleIds) {
      ObjectNode row = rules.addObject();
      row.put("rule_id", rule);
      row.put("baseline", total(before.get(rule)));
      row.put("candidate", total(after.get(rule)));
      ObjectNode byDayBefore = row.putObject("baseline_by_day");
      before.getOrDefault(rule, Map.of()).forEach(byDayBefore::put);
      ObjectNode byDayAfter = row.putObject("candidate_by_day");
      after.getOrDefault(rule, Map.of()).forEach(byDayAfter::put);
    }
    try {
      ArrayNode added = root.putArray("added");
      for (Alert alert : result.added()) {
        added.add(mapper.readTree(AlertJson.toJson(alert)));
      }
      ArrayNode removed = root.putArray("removed");
      for (Alert alert : result.removed()) {
        removed.add(mapper.readTree(AlertJson.toJson(alert)));
      }
      return mapper.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
