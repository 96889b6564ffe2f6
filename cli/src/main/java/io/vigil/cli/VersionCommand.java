package io.vigil.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil version}: the version of Vigil and of the Kafka and Java it runs on. */
@Command(name = "version", description = "Print the version of Vigil, Kafka and Java.")
public final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("vigil " + VersionInfo.vigil());
    out.println("kafka " + VersionInfo.kafka());
    out.println("java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
    return 0;
  }
}
