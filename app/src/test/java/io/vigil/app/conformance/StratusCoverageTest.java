package io.vigil.app.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.scan.OfflineScan;
import io.vigil.app.scan.ScanWorkers;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.schemas.Alert;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Stratus Red Team detonation logs against the default rules, as {@code vigil scan} of each
 * file sees them, on a fresh install and past the first-seen rules' learning period: which
 * techniques raise an alert above info, and for each one that does not, why.
 * docs/stratus-coverage.md is generated from this test and checked to be current; regenerate it
 * with {@code -Dvigil.conformance.write=true}.
 */
class StratusCoverageTest {

  static final Path DOC = Path.of("..", "docs", "stratus-coverage.md");

  // Techniques no default rule catches yet, even past the first-seen rules' learning period, and
  // what it would take.
  private static final Map<String, String> WHY_NOT = Map.of();

  private static final DetectionSettings LEARNED =
      DetectionSettings.DEFAULTS.withLearning(Duration.ZERO);

  @Test
  void docsStratusCoverageMatchesWhatTheDefaultRulesRaise()
      throws IOException, InterruptedException {
    Path logs = TestData.path("stratus_red_team/docs/detonation-logs");
    List<Path> files;
    try (Stream<Path> list = Files.list(logs)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSize(35);
    Map<String, TreeSet<String>> fresh = raised(files, DetectionSettings.DEFAULTS);
    Map<String, TreeSet<String>> learned = raised(files, LEARNED);
    List<String> silent = silent(learned);
    assertThat(WHY_NOT.keySet())
        .as("a reason for each technique that raises nothing, and none for the others")
        .containsExactlyInAnyOrderElementsOf(silent);
    fresh.forEach(
        (technique, rules) -> {
          TreeSet<String> added = new TreeSet<>(learned.get(technique));
          added.removeAll(rules);
          assertThat(added)
              .as("%s: the learning period only holds back first-seen rules", technique)
              .allSatisfy(cell -> assertThat(cell).contains("-first-seen`"));
        });

    String doc =
        document(
            fresh,
            learned,
            files.size() - silent(fresh).size(),
            files.size() - silent.size(),
            files.size());
    if (Boolean.getBoolean("vigil.conformance.write")) {
      Files.writeString(DOC, doc, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as(
            "docs/stratus-coverage.md is out of date: run ./mvnw -pl app test"
                + " -Dtest=StratusCoverageTest -Dvigil.conformance.write=true and commit it")
        .isEqualTo(doc);
  }

  /** What a scan of each file alone raises, by technique. */
  private static Map<String, TreeSet<String>> raised(List<Path> files, DetectionSettings settings)
      throws IOException, InterruptedException {
    DetectionEngine engine = DetectionEngine.load(settings);
    Map<String, TreeSet<String>> raised = new TreeMap<>();
    for (Path file : files) {
      StringWriter out = new StringWriter();
      OfflineScan.scan(
          engine,
          settings,
          new AwsLogDecoder(),
          List.of(file),
          StratusCoverageTest::cell,
          false,
          1,
          ScanWorkers.Bounds.forThreads(1),
          new PrintWriter(out, true),
          new PrintWriter(new StringWriter(), true));
      raised.put(
          file.getFileName().toString().replaceFirst("\\.json$", ""),
          out.toString()
              .lines()
              .filter(l -> !l.isBlank())
              .collect(Collectors.toCollection(TreeSet::new)));
    }
    return raised;
  }

  private static List<String> silent(Map<String, TreeSet<String>> raised) {
    return raised.entrySet().stream()
        .filter(e -> e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .toList();
  }

  // SigmaHQ's rules are named by a UUID: their title says more.
  private static String cell(Alert alert) {
    boolean packRule = alert.getRuleId().matches("[0-9a-f]{8}-[0-9a-f-]{27}");
    return packRule
        ? "SigmaHQ \"" + alert.getTitle() + "\" (" + alert.getSeverity() + ")"
        : "`" + alert.getRuleId() + "` (" + alert.getSeverity() + ")";
  }

  private static String document(
      Map<String, TreeSet<String>> fresh,
      Map<String, TreeSet<String>> learned,
      int freshCovered,
      int learnedCovered,
      int all) {
    StringBuilder doc = new StringBuilder();
    doc.append("# Stratus Red Team: which techniques the default rules catch\n\n")
        .append("<!-- Generated by app/src/test/java/io/vigil/app/conformance/")
        .append("StratusCoverageTest.java; edit the test, not this file. -->\n\n")
        .append("Stratus Red Team's detonation logs (`testdata/stratus_red_team/docs/")
        .append("detonation-logs/`, one file per technique) scanned one file at a time with the")
        .append(" default rules (the built-in catalogue and the SigmaHQ pack), as `vigil scan")
        .append(" FILE` does. **")
        .append(learnedCovered)
        .append(" of ")
        .append(all)
        .append(" techniques raise an alert** once the first-seen rules are past their learning")
        .append(" period, as in an account whose history holds none of these principals' actions; ")
        .append(freshCovered)
        .append(" of ")
        .append(all)
        .append(" on a fresh install, where the first-seen rules spend their first 7 days")
        .append(" learning (docs/rules.md#first-seen-terms). Reproduce one row:\n\n")
        .append("```sh\njava -jar deploy/target/vigil.jar scan ")
        .append(
            "testdata/stratus_red_team/docs/detonation-logs/aws.execution.ssm-send-command.json")
        .append("\njava -jar deploy/target/vigil.jar scan --set detection.learning=0s ")
        .append(
            "testdata/stratus_red_team/docs/detonation-logs/aws.execution.ssm-send-command.json")
        .append("\n```\n\n")
        .append("| technique | alerts raised (severity), or why none, past the learning period |")
        .append(" on a fresh install (first-seen rules learning) |\n|---|---|---|\n");
    learned.forEach(
        (technique, rules) ->
            doc.append("| ")
                .append(technique)
                .append(" | ")
                .append(
                    rules.isEmpty() ? "none: " + WHY_NOT.get(technique) : String.join(", ", rules))
                .append(" | ")
                .append(
                    fresh.get(technique).equals(rules)
                        ? "the same"
                        : fresh.get(technique).isEmpty()
                            ? "none"
                            : String.join(", ", fresh.get(technique)))
                .append(" |\n"));
    return doc.toString();
  }
}
