package io.vigil.cli;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vigil run}: the whole pipeline in this process, on the embedded broker unless {@code
 * kafka.bootstrap.servers} is set. Runs until SIGTERM or SIGINT, then stops in order within {@code
 * shutdown.timeout} and exits 0.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the pipeline (embedded Kafka unless kafka.bootstrap.servers is set).")
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @ParentCommand VigilCommand parent;

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    VigilConfig config = options.load(parent.env);
    // One event per key: the log layout writes a newline inside a message as \n.
    log.info("Configuration:");
    config.describe().lines().forEach(line -> log.info("  {}", line));
    // Configuration errors the components would meet only after the broker started: exit 2 now.
    PipelineComponents.checkConfiguration(config);
    Duration shutdownTimeout = config.get(ConfigKeys.SHUTDOWN_TIMEOUT);

    CountDownLatch stop = new CountDownLatch(1);
    StopSignals.onTermination(stop::countDown);
    VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all());
    // Fallback for a JVM exit that did not come through our signal handlers.
    Thread hook = new Thread(runtime::close, "vigil-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);

    stop.await();
    log.info("Stopping (allowing {})", shutdownTimeout);
    Thread watchdog = StopSignals.haltAfter(shutdownTimeout.plusSeconds(2));
    runtime.close();
    watchdog.interrupt();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the JVM is exiting anyway
    }
    return VigilCommand.EXIT_OK;
  }
}
