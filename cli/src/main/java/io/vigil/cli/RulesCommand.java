package io.vigil.cli;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.rules.RuleCatalog;
import io.vigil.app.rules.RuleTests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
}
