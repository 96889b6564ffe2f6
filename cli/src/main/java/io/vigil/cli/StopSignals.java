package io.vigil.cli;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling for long-running commands. The JVM's default handlers start exiting
 * at once with status 143/130; we take the signals ourselves so that the command can stop its
 * pipeline in order and exit 0. In a JVM started by {@link HeapBound}'s launcher, the launcher's
 * end stops the command the same way.
 */
final class StopSignals {

  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  static void onTermination(Runnable action) {
    HeapBound.onLauncherGone(action);
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              log.info("Received SIG{}", signal.getName());
              action.run();
            });
      } catch (IllegalArgumentException unsupported) {
        log.debug("Signal {} cannot be handled on this platform", name);
      }
    }
  }

  /** A daemon that halts the JVM with status 1 if an orderly stop takes longer than allowed. */
  static Thread haltAfter(Duration limit) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(limit.toMillis());
                System.err.println("vigil: shutdown took longer than " + limit + "; halting");
                Runtime.getRuntime().halt(VigilCommand.EXIT_FAILURE);
              } catch (InterruptedException stoppedInTime) {
                Thread.currentThread().interrupt();
              }
            },
            "vigil-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    return watchdog;
  }
}
