package io.vigil.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code vigil} command. Exit codes: 0 success, 1 failure, 2 usage or configuration error (with
 * a message naming what was wrong); {@link ExitCodeMapper} is where exceptions become them.
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Real-time threat and compliance detection for AWS logs.",
    subcommands = {
      RunCommand.class,
      IngestCommand.class,
      ScanCommand.class,
      RulesCommand.class,
      ReportCommand.class,
      DlqCommand.class,
      SinksCommand.class,
      DemoCommand.class,
      ConfigCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class VigilCommand implements Callable<Integer> {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;

  /** A command line that does not parse or does not make sense. */
  public static final int EXIT_USAGE = 2;

  /**
   * A configuration that is not valid: the same code as a usage error, since both are the caller's
   * to fix.
   */
  public static final int EXIT_CONFIG = 2;

  @Spec CommandSpec spec;

  /** The process environment, injected so that tests can pass their own. */
  final Map<String, String> env;

  VigilCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) throws Exception {
    if (HeapBound.wanted(args)) {
      System.exit(HeapBound.runBounded(args));
    }
    // stdout is buffered (scan prints an alert a line) and flushed at the end; stderr is not.
    PrintWriter out =
        new PrintWriter(
            new java.io.BufferedWriter(
                new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8),
                1 << 16),
            false);
    int code = execute(args, System.getenv(), out, new PrintWriter(System.err, true));
    out.flush();
    LogManager.shutdown();
    System.exit(code);
  }

  /** Runs the command line and returns the exit code. */
  public static int execute(
      String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new VigilCommand(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new ExitCodeMapper());
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    return missingSubcommand(spec);
  }

  /** A command group run without a subcommand: a usage error, not a silent success. */
  /**
   * Refuses a usage with a path that does not exist (exit 2), naming it, before anything is read.
   *
   * @throws ParameterException for the first missing path
   */
  static void requireExisting(CommandSpec spec, List<Path> paths) {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new ParameterException(spec.commandLine(), "no such file or directory: " + path);
      }
    }
  }

  static int missingSubcommand(CommandSpec spec) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("vigil: missing command: choose one of " + spec.subcommands().keySet());
    spec.commandLine().usage(err);
    return EXIT_USAGE;
  }
}
