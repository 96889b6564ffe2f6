package io.vigil.cli;

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
import io.vigil.sigma.model.RuleLoadException;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.streams.alerts.RuleInfo;
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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vigil rules list|test}: what rules are in force, and multi-event tests of them. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "List the rules or run rule tests.",
    subcommands = {RulesCommand.ListRules.class, RulesCommand.TestRules.class})
public final class RulesCommand implements Callable<Integer> {

  @ParentCommand VigilCommand parent;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return VigilCommand.missingSubcommand(spec);
  }

  /**
   * Every rule in force (built-in, yours, posture) with level, tags and file; then the load errors.
   * Exit 1 when there are any.
   */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the rules in force and any load errors.")
  static final class ListRules implements Callable<Integer> {
    @ParentCommand RulesCommand parent;

    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    @Option(
        names = "--rules",
        paramLabel = "DIR",
        description = "A directory or file of your own Sigma rules (repeatable).")
    List<Path> rules = new ArrayList<>();

    @Override
    public Integer call() {
      VigilConfig config = options.load(parent.parent.env);
      RuleSet set = DetectionEngine.ruleSet(DetectionConfig.settings(config, rules));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-40s %-12s %-9s %-44s %s%n", "ID", "TYPE", "LEVEL", "TITLE", "SOURCE / TAGS");
      for (SigmaRule rule : set.rules()) {
        String type = set.raisesOwnAlerts(rule) ? "rule" : "feeds-corr";
        out.printf(
            "%-40s %-12s %-9s %-44s %s:%d %s%n",
            rule.id(),
            type,
            rule.level(),
            clip(rule.title()),
            rule.source(),
            rule.line(),
            rule.tags());
      }
      for (SigmaCorrelation c : set.correlations()) {
        out.printf(
            "%-40s %-12s %-9s %-44s %s:%d %s%n",
            c.id(),
            c.type().name().toLowerCase(java.util.Locale.ROOT),
            c.level(),
            clip(c.title()),
            c.source(),
            c.line(),
            c.tags());
      }
      for (RuleInfo posture :
          DetectionEngine.postureRules().values().stream()
              .sorted(java.util.Comparator.comparing(RuleInfo::id))
              .toList()) {
        out.printf(
            "%-40s %-12s %-9s %-44s %s %s%n",
            posture.id(),
            "posture",
            posture.severity(),
            clip(posture.title()),
            "classpath:rules/posture/" + posture.id() + ".yml",
            posture.tags());
      }
      out.flush();
      PrintWriter err = spec.commandLine().getErr();
      for (RuleLoadException e : set.loadErrors()) {
        err.println("error: " + e.getMessage());
      }
      err.printf(
          "%d rules, %d correlations, %d posture rules, %d load errors%n",
          set.rules().size(),
          set.correlations().size(),
          DetectionEngine.postureRules().size(),
          set.loadErrors().size());
      return set.loadErrors().isEmpty() ? VigilCommand.EXIT_OK : VigilCommand.EXIT_FAILURE;
    }

    private static String clip(String title) {
      return title.length() <= 44 ? title : title.substring(0, 43) + "…";
    }
  }

  /**
   * Runs rule test files ({@code *.yml}: events in order, the alerts expected with rule ids and
   * counts, the rules that must stay silent) through the scan's detector. Exit 0 when all pass.
   */
  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = "Run multi-event rule tests (YAML files: events, expect, silent).")
  static final class TestRules implements Callable<Integer> {
    @ParentCommand RulesCommand parent;

    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    @Option(
        names = "--rules",
        paramLabel = "DIR",
        description = "A directory or file of your own Sigma rules (repeatable).")
    List<Path> rules = new ArrayList<>();

    @Parameters(
        arity = "1..*",
        paramLabel = "DIR|FILE",
        description = "Rule test files or directories of them.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
      VigilConfig config = options.load(parent.parent.env);
      DetectionSettings base = DetectionConfig.settings(config, rules);
      LogDecoder decoder = IngestComponents.decoder(config);
      PrintWriter out = spec.commandLine().getOut();
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
      return failed == 0 && passed > 0 ? VigilCommand.EXIT_OK : VigilCommand.EXIT_FAILURE;
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
  }

  /**
   * One rule test file: {@code events} (CloudTrail events as CloudTrail writes them, in order),
   * {@code flow_log} (flow log text with its header line), optional {@code placeholders}, then
   * {@code expect} (a list of {@code {rule, count}}; count is the final count of that rule's alert,
   * optional) and {@code silent} (rule ids that must raise nothing).
   */
  static final class RuleTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> run(Path file, DetectionSettings base, LogDecoder decoder)
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
