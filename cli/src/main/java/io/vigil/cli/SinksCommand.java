package io.vigil.cli;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.SinksComponent;
import io.vigil.app.runtime.StandaloneSinks;
import io.vigil.sinks.SinkDefinition;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vigil sinks}: only the alert sinks, against the configured cluster (or the embedded broker
 * of a running {@code vigil run} on the same data dir), so that delivery can be scaled and
 * restarted apart from the Streams application. Runs until SIGTERM or SIGINT; each sink resumes
 * from its consumer group's committed offsets.
 */
@Command(
    name = "sinks",
    mixinStandardHelpOptions = true,
    description = "Run only the alert sinks (delivery), until stopped.")
public final class SinksCommand implements Callable<Integer> {

  @ParentCommand VigilCommand parent;

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    VigilConfig config = options.load(parent.env);
    // Before any broker starts: a sink whose secret variable is unset is a configuration error.
    List<SinkDefinition> definitions = SinksComponent.definitions(config, true);
    CountDownLatch stop = new CountDownLatch(1);
    StopSignals.onTermination(stop::countDown);
    StandaloneSinks.run(config, definitions, stop);
    return VigilCommand.EXIT_OK;
  }
}
