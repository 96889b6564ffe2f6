package io.vigil.deploy.cli;

import java.util.concurrent.Callable;

import io.vigil.deploy.config.ConfigDocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code vigil config}: the configuration keys, and the effective configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show the configuration keys or the effective configuration.",
        subcommands = {ConfigCommand.Docs.class, ConfigCommand.Show.class})
public final class ConfigCommand implements Runnable {

    @ParentCommand
    VigilCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing command: choose one of " + spec.subcommands().keySet());
    }

    /** Prints the Markdown table of keys that the README carries. */
    @Command(name = "docs", description = "Print the table of configuration keys (Markdown).")
    static final class Docs implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(ConfigDocs.markdownTable());
            return 0;
        }
    }

    /** Validates and prints the effective configuration, secrets masked, with where each value came from. */
    @Command(name = "show", description = "Check the configuration and print the effective values (secrets masked).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            System.out.println(options.load(parent.parent.env).describe());
            return 0;
        }
    }
}
