package io.vigil.app.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.app.runtime.IngestComponents;
import io.vigil.app.scan.DetectorFeed;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.Alert;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.OfflineDetector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code vigil rules test} runs: rule test files ({@code *.yml}: events in order, the alerts
 * expected with rule ids and counts, the rules that must stay silent) through the scan's detector,
 * with the rules in force under the configuration and the extra rule paths.
 */
public final class RuleTests {

  private RuleTests() {}

  /**
   * Runs every test file of {@code paths} (directories recursively, in name order), printing PASS
   * or FAIL with the problems for each and the totals to {@code out}. True when at least one test
   * ran and all passed.
   */
  public static boolean run(VigilConfig config, List<Path> rules, List<Path> paths, PrintWriter out)
      throws IOException {
    DetectionSettings base = DetectionConfig.settings(config, rules);
    LogDecoder decoder = IngestComponents.decoder(config);
    int passed = 0;
    int failed = 0;
    for (Path file : testFiles(paths)) {
      List<String> problems = RuleTest.run(file, base, decoder);
      if (problems.isEmpty()) {
        passed++;
        out.println("PASS " + file);
      } else {
        failed++;
        out.println("FAIL " + file);
        problems.forEach(p -> out.println("  " + p));
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    out.flush();
    return failed == 0 && passed > 0;
  }

  /**
   * Runs every test file of {@code paths} quietly: for each rule a test expects an alert of, how
   * many of those tests passed and failed (a test's outcome counts for every rule it expects).
   */
  public static Map<String, AttackCoverage.Tests> outcomes(
      VigilConfig config, List<Path> rules, List<Path> paths) throws IOException {
    DetectionSettings base = DetectionConfig.settings(config, rules);
    LogDecoder decoder = IngestComponents.decoder(config);
    Map<String, int[]> counts = new HashMap<>();
    for (Path file : testFiles(paths)) {
      boolean passed = RuleTest.run(file, base, decoder).isEmpty();
      for (String rule : RuleTest.expectedRules(file)) {
        counts.computeIfAbsent(rule, r -> new int[2])[passed ? 0 : 1]++;
      }
    }
    Map<String, AttackCoverage.Tests> outcomes = new HashMap<>();
    counts.forEach((rule, c) -> outcomes.put(rule, new AttackCoverage.Tests(c[0], c[1])));
    return outcomes;
  }

  private static List<Path> testFiles(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
              .sorted()
              .forEach(files::add);
        }
      } else {
        files.add(path);
      }
    }
    return files;
  }

  /**
   * One rule test file: {@code events} (CloudTrail events as CloudTrail writes them, in order),
   * {@code flow_log} (flow log text with its header line), optional {@code placeholders}, then
   * {@code expect} (a list of {@code {rule, count}}; count is the final count of that rule's alert,
   * optional) and {@code silent} (rule ids that must raise nothing).
   */
  public static final class RuleTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleTest() {}

    /** The rule ids a test file expects alerts of. */
    static List<String> expectedRules(Path file) throws IOException {
      List<String> rules = new ArrayList<>();
      YAML.readTree(file.toFile()).path("expect").forEach(e -> rules.add(e.path("rule").asText()));
      return rules;
    }

    /** The problems found running one test file: empty when it passes. */
    public static List<String> run(Path file, DetectionSettings base, LogDecoder decoder)
        throws IOException {
      List<String> problems = new ArrayList<>();
      JsonNode test = YAML.readTree(file.toFile());
      DetectionSettings settings = base;
      if (test.has("placeholders")) {
        Map<String, List<String>> placeholders = new HashMap<>(base.placeholders());
        test.get("placeholders")
            .fields()
            .forEachRemaining(
                e -> {
                  List<String> values = new ArrayList<>();
                  e.getValue().forEach(v -> values.add(v.asText()));
                  placeholders.put(e.getKey(), values);
                });
        settings = base.withPlaceholders(placeholders);
      }
      DetectionEngine engine = DetectionEngine.load(settings);
      Map<String, Alert> latest = new LinkedHashMap<>();
      OfflineDetector detector =
          new OfflineDetector(engine, settings, a -> latest.put(a.getDedupKey(), a));
      DetectorFeed listener =
          new DetectorFeed(
              detector,
              rejected ->
                  problems.add(
                      "event rejected at "
                          + rejected.getSourceLocation()
                          + ": "
                          + rejected.getMessage()));
      if (test.has("events")) {
        byte[] events = JSON.writeValueAsBytes(test.get("events"));
        decoder.decode(new ByteArrayInputStream(events), SourceRef.file(file), listener);
      }
      if (test.has("flow_log")) {
        byte[] lines = test.get("flow_log").asText().getBytes(StandardCharsets.UTF_8);
        decoder.decode(new ByteArrayInputStream(lines), SourceRef.file(file), listener);
      }
      detector.finish();
      for (JsonNode expect : test.path("expect")) {
        String rule = expect.path("rule").asText();
        List<Alert> alerts =
            latest.values().stream().filter(a -> a.getRuleId().equals(rule)).toList();
        if (alerts.isEmpty()) {
          problems.add(
              "expected an alert of "
                  + rule
                  + ", got none (alerts: "
                  + latest.values().stream().map(Alert::getRuleId).distinct().toList()
                  + ")");
        } else if (expect.has("count")
            && alerts.stream().noneMatch(a -> a.getCount() == expect.get("count").asLong())) {
          problems.add(
              "expected "
                  + rule
                  + " with count "
                  + expect.get("count").asLong()
                  + ", got counts "
                  + alerts.stream().map(Alert::getCount).toList());
        }
      }
      for (JsonNode silent : test.path("silent")) {
        if (latest.values().stream().anyMatch(a -> a.getRuleId().equals(silent.asText()))) {
          problems.add(silent.asText() + " must stay silent but raised an alert");
        }
      }
      if (!test.has("expect") && !test.has("silent")) {
        problems.add("a rule test needs 'expect' or 'silent'");
      }
      return problems;
    }
  }
}
