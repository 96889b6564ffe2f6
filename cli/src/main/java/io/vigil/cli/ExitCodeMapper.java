package io.vigil.cli;

import io.vigil.app.config.ConfigException;
import io.vigil.sinks.SinkConfigException;
import io.vigil.streams.detection.RuleLoadErrors;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place that turns an exception escaping a command into Vigil's exit code (the {@code
 * EXIT_*} constants of {@link VigilCommand}) and the line on stderr that explains it.
 *
 * <p>A configuration error exits {@link VigilCommand#EXIT_CONFIG}. The configuration system ({@link
 * ConfigException}) words each problem after its key and where the value was set (file and line,
 * environment variable or flag); the runtime turns what it finds late (rules that do not load,
 * threat-intelligence files, sinks with unset variables) into the same exception. A {@link
 * SinkConfigException} or {@link RuleLoadErrors} that still gets here (a path that bypassed the
 * configuration system) is a configuration error too, only without the origin. Anything else is a
 * failure, exit {@link VigilCommand#EXIT_FAILURE}.
 */
final class ExitCodeMapper implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    // Some libraries wrap what our code threw (e.g. a loader called through a Supplier).
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConfigException config) {
        err.println("vigil: configuration error: " + config.getMessage());
        return VigilCommand.EXIT_CONFIG;
      }
      if (cause instanceof SinkConfigException sinks) {
        err.println("vigil: configuration error in sinks: " + sinks.getMessage());
        return VigilCommand.EXIT_CONFIG;
      }
      if (cause instanceof RuleLoadErrors rules) {
        err.println("vigil: configuration error: " + rules.getMessage());
        return VigilCommand.EXIT_CONFIG;
      }
    }
    err.println("vigil: " + commandLine.getCommandName() + " failed: " + e);
    return VigilCommand.EXIT_FAILURE;
  }
}
