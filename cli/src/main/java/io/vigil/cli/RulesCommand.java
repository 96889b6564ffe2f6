package io.vigil.cli;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.rules.AttackCoverage;
import io.vigil.app.rules.Backtest;
import io.vigil.app.rules.CoverageEvidence;
import io.vigil.app.rules.RuleCatalog;
import io.vigil.app.rules.RuleTests;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.app.runtime.IngestComponents;
import io.vigil.app.scan.OfflineScan;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vigil rules list|test|backtest|coverage}: what rules are in force, multi-event tests of
 * them, what a rule change does to the alerts of real logs, and the ATT&CK coverage they give.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description =
        "List the rules, run rule tests, backtest a rule change on logs, or show ATT&CK coverage.",
    subcommands = {
      RulesCommand.ListRules.class,
      RulesCommand.TestRules.class,
      RulesCommand.BacktestRules.class,
      RulesCommand.Coverage.class
    })
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

    @Mixin UserRulesOption userRules;

    @Override
    public Integer call() {
      VigilConfig config = options.load(parent.parent.env);
      boolean loaded =
          RuleCatalog.list(
              config, userRules.paths, spec.commandLine().getOut(), spec.commandLine().getErr());
      return loaded ? VigilCommand.EXIT_OK : VigilCommand.EXIT_FAILURE;
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

    @Mixin UserRulesOption userRules;

    @Parameters(
        arity = "1..*",
        paramLabel = "DIR|FILE",
        description = "Rule test files or directories of them.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
      VigilConfig config = options.load(parent.parent.env);
      boolean passed = RuleTests.run(config, userRules.paths, paths, spec.commandLine().getOut());
      return passed ? VigilCommand.EXIT_OK : VigilCommand.EXIT_FAILURE;
    }
  }

  /**
   * The ATT&CK tactics and techniques the alerting rules in force cover, with each rule's level
   * and, with {@code --tests}, how the rule tests expecting it went; with {@code --url}, a running
   * pipeline's evidence (events the rule needs seen, last firing). Exit 0; 1 when a test failed or
   * the pipeline gave no evidence.
   */
  @Command(
      name = "coverage",
      mixinStandardHelpOptions = true,
      description =
          "The ATT&CK tactics and techniques the rules in force cover, with the outcome of the"
              + " rule tests given with --tests and a running pipeline's evidence with --url.")
  static final class Coverage implements Callable<Integer> {
    @ParentCommand RulesCommand parent;

    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    @Mixin UserRulesOption userRules;

    @Option(
        names = "--tests",
        paramLabel = "DIR|FILE",
        description = "Rule test files or directories to run as evidence (repeatable).")
    List<Path> tests = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "A running Vigil's HTTP address (e.g. http://localhost:8080): add its evidence per"
                + " rule, whether the events the rule needs arrived in the last --days and when"
                + " it last fired (sends http.token when set, or the token of --token-env).")
    URI url;

    @Option(
        names = "--token-env",
        paramLabel = "NAME",
        description =
            "The environment variable holding the token to send to --url (a user of"
                + " http.users; a viewer's is enough). Default: http.token.")
    String tokenEnv;

    @Option(
        names = "--days",
        paramLabel = "N",
        defaultValue = "30",
        description = "Look-back of the evidence from --url, in days (default: ${DEFAULT-VALUE}).")
    int days;

    private Optional<String> token(VigilConfig config) {
      if (tokenEnv == null) {
        return config.find(ConfigKeys.HTTP_TOKEN);
      }
      String token = parent.parent.env.get(tokenEnv);
      if (token == null || token.isBlank()) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--token-env: environment variable " + tokenEnv + " is not set");
      }
      return Optional.of(token);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
      VigilCommand.requireExisting(spec, tests);
      if (days < 1 || days > 3660) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--days: expected a whole number from 1 to 3660, got " + days);
      }
      VigilConfig config = options.load(parent.parent.env);
      DetectionSettings settings = DetectionConfig.settings(config, userRules.paths);
      // Loads the rules as every command does, failing with their load errors.
      DetectionConfig.engine(config, settings, userRules.paths);
      Map<String, AttackCoverage.Tests> outcomes =
          tests.isEmpty() ? Map.of() : RuleTests.outcomes(config, userRules.paths, tests);
      AttackCoverage coverage = AttackCoverage.of(DetectionEngine.ruleSet(settings), outcomes);
      if (url != null) {
        try {
          coverage =
              coverage.withEvidence(
                  CoverageEvidence.fetch(url, days, token(config)), Duration.ofDays(days));
        } catch (IOException e) {
          spec.commandLine()
              .getErr()
              .println("vigil rules coverage: no evidence from " + url + ": " + e.getMessage());
          return VigilCommand.EXIT_FAILURE;
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(coverage.json());
        out.flush();
      } else {
        coverage.printTable(out);
      }
      boolean failed = outcomes.values().stream().anyMatch(t -> t.failed() > 0);
      return failed ? VigilCommand.EXIT_FAILURE : VigilCommand.EXIT_OK;
    }
  }

  /**
   * Runs the candidate rules (the rules in force plus {@code --rules}) and the baseline (the rules
   * in force plus {@code --baseline}) over the same logs; prints the alerts per rule and day in
   * each, and the alerts added and removed. Exit 0 when the logs were read.
   */
  @Command(
      name = "backtest",
      mixinStandardHelpOptions = true,
      description =
          "Run candidate rules (--rules) and a baseline (--baseline, default: the rules in force)"
              + " over the same logs: alerts per rule and day, alerts added and removed.")
  static final class BacktestRules implements Callable<Integer> {
    @ParentCommand RulesCommand parent;

    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    @Mixin UserRulesOption userRules;

    @Option(
        names = "--baseline",
        paramLabel = "DIR",
        description =
            "A directory or file of rules for the baseline, beside the rules in force"
                + " (repeatable; default: none, the rules in force alone).")
    List<Path> baseline = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Log files or directories.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
      VigilCommand.requireExisting(spec, paths);
      VigilConfig config = options.load(parent.parent.env);
      DetectionSettings candidateSettings = DetectionConfig.settings(config, userRules.paths);
      DetectionEngine candidate =
          DetectionConfig.engine(config, candidateSettings, userRules.paths);
      DetectionSettings baselineSettings = DetectionConfig.settings(config, baseline);
      DetectionEngine baselineEngine = DetectionConfig.engine(config, baselineSettings, baseline);
      Backtest.Result result =
          Backtest.run(
              baselineEngine,
              baselineSettings,
              candidate,
              candidateSettings,
              IngestComponents.decoder(config),
              OfflineScan.files(paths));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Backtest.json(result));
        out.flush();
      } else {
        Backtest.printTable(result, out);
      }
      return VigilCommand.EXIT_OK;
    }
  }
}
