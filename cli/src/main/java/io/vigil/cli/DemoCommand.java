package io.vigil.cli;

import io.vigil.app.config.ConfigType;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.demo.DemoRun;
import io.vigil.app.demo.Scenario;
import io.vigil.app.demo.Scenarios;
import io.vigil.sigma.model.RuleSet;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vigil demo}: replays the bundled attack scenarios ({@link Scenarios}) into a running
 * pipeline, through the ingest decoder and publisher like any log file, then watches the alerts
 * topic until each scenario's expected alerts appear, and prints a table of what was seen. Finds
 * the pipeline as {@code vigil report} does (the configured cluster, or the embedded broker of a
 * {@code vigil run} on the same {@code data.dir}) and never starts one. Exit 0 when every expected
 * alert was seen and the benign scenario raised nothing, 1 otherwise (saying which and likely why),
 * 2 on usage errors and when no running pipeline is found.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Replay bundled attack scenarios into a running pipeline and watch their alerts appear.",
      "Start the pipeline first (java -jar vigil.jar run), then run this in another terminal with"
          + " the same --config/--data-dir. Event times are set to now, event ids are new on every"
          + " run."
    },
    footer = {
      "",
      "Exit status: 0 all expected alerts seen, 1 some not seen (or a false positive), "
          + "2 usage error or no running pipeline."
    })
public final class DemoCommand implements Callable<Integer> {

  @ParentCommand VigilCommand parent;

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Option(
      names = "--list",
      description = "List the scenarios and the rules each one raises, then exit.")
  boolean list;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description = "Play only this scenario (repeatable; default: all).")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "2m",
      description =
          "How long to watch for the expected alerts (default: ${DEFAULT-VALUE}; an alert already"
              + " open from an earlier run is updated at most once per alerts.update.interval).")
  String wait;

  @Option(
      names = "--no-wait",
      description = "Publish the scenarios and exit without watching for alerts.")
  boolean noWait;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (list) {
      DemoRun.printCatalogue(out);
      return VigilCommand.EXIT_OK;
    }
    List<Scenario> scenarios = selected();
    Duration patience = waitDuration();
    VigilConfig config = options.load(parent.env);
    return switch (DemoRun.play(config, scenarios, patience, noWait, out, err)) {
      case ALL_SEEN -> VigilCommand.EXIT_OK;
      case NOT_ALL_SEEN -> VigilCommand.EXIT_FAILURE;
      case NOT_STARTED -> VigilCommand.EXIT_USAGE;
    };
  }

  /** The most likely reason an expected alert did not come ({@link DemoRun#likelyWhy}). */
  static String likelyWhy(String ruleId, RuleSet rules, VigilConfig config) {
    return DemoRun.likelyWhy(ruleId, rules, config);
  }

  private List<Scenario> selected() {
    if (names.isEmpty()) {
      return Scenarios.all();
    }
    Set<String> unique = new LinkedHashSet<>(names);
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : unique) {
      if (!Scenarios.NAMES.contains(name)) {
        throw new ParameterException(
            spec.commandLine(),
            "--scenario: unknown scenario '"
                + name
                + "'; known: "
                + String.join(", ", Scenarios.NAMES));
      }
      scenarios.add(Scenarios.load(name));
    }
    return scenarios;
  }

  private Duration waitDuration() {
    try {
      return ConfigType.DURATION.parseText(wait);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--wait: " + e.getMessage());
    }
  }
}
