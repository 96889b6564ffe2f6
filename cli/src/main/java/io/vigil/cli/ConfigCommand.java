package io.vigil.cli;

import io.vigil.app.config.ConfigDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vigil config}: the configuration keys, and the effective configuration. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Show the configuration keys or the effective configuration.",
    subcommands = {ConfigCommand.Docs.class, ConfigCommand.Show.class})
public final class ConfigCommand implements Callable<Integer> {

  @ParentCommand VigilCommand parent;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return VigilCommand.missingSubcommand(spec);
  }

  /** Prints the Markdown table of keys that the README carries. */
  @Command(name = "docs", description = "Print the table of configuration keys (Markdown).")
  static final class Docs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(ConfigDocs.markdownTable());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /**
   * Validates and prints the effective configuration, secrets masked, with where each value came
   * from.
   */
  @Command(
      name = "show",
      description = "Check the configuration and print the effective values (secrets masked).")
  static final class Show implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;

    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(options.load(parent.parent.env).describe());
      return 0;
    }
  }
}
