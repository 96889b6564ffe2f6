package io.vigil.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import sun.misc.Signal;

/**
 * Gives {@code vigil run} a bounded heap when nobody chose one. Left to its defaults the JVM may
 * take a quarter of the machine's memory, and under a steady load {@code vigil run} grows into it:
 * it allocates fast, with little live data (docs/benchmarks.md: 1.6-2.6 GB resident on a 24 GiB
 * machine against 0.75-0.94 GB with a 512 MiB heap, at the same latency). A heap cannot be bounded
 * after the JVM started, so {@code java -jar vigil.jar run} without a heap option of its own starts
 * the pipeline in a second JVM with {@link #RUN_HEAP_MIB} MiB of heap and the same JVM options, and
 * waits for it: its output is the child's, SIGTERM and SIGINT are passed on, its exit code is the
 * child's. Any heap option ({@code -Xmx}, {@code -XX:MaxRAMPercentage} and the like, on the command
 * line or in {@code JDK_JAVA_OPTIONS}) keeps everything in one JVM, as in containers.
 *
 * <p>The child holds a pipe from the launcher as its standard input: when the launcher goes, even
 * by SIGKILL, the pipe closes and the child stops in order, so no pipeline is left behind.
 */
final class HeapBound {

  /** The heap of {@code vigil run} when the JVM was given none, in MiB. */
  static final int RUN_HEAP_MIB = 512;

  /** Set on the child's command line to the launcher's pid. */
  static final String LAUNCHER_PROPERTY = "vigil.launcher.pid";

  private static final Set<String> HEAP_OPTIONS =
      Set.of(
          "MaxHeapSize",
          "MaxRAM",
          "MaxRAMPercentage",
          "MaxRAMFraction",
          "MinRAMPercentage",
          "MinRAMFraction");

  // Options that load an agent (a debugger, a profiler, a metrics exporter) or bind a JMX port: in
  // two JVMs the port would be bound twice, an agent's file written twice at exit (the idle
  // launcher's last), or the launcher be the one attached to, so they keep one JVM.
  private static final List<String> ONE_JVM_OPTIONS =
      List.of(
          "-agentlib:",
          "-agentpath:",
          "-javaagent:",
          "-Xrun",
          "-Dcom.sun.management.jmxremote.port",
          "-Dcom.sun.management.jmxremote.rmi.port");

  private HeapBound() {}

  /** Whether these JVM options must stay in one JVM (an agent, a JMX port). */
  static boolean keepsOneJvm(List<String> jvmOptions) {
    return jvmOptions.stream().anyMatch(o -> ONE_JVM_OPTIONS.stream().anyMatch(o::startsWith));
  }

  /** Whether this JVM was started by a launcher (and so must stop when its pipe closes). */
  static boolean launched() {
    return System.getProperty(LAUNCHER_PROPERTY) != null;
  }

  /**
   * Whether {@code args} should run in a second JVM with a bounded heap: the command is {@code
   * run}, this JVM is not already such a child nor given an agent or a JMX port, nobody chose a
   * heap, and the JVM's own bound is larger.
   */
  static boolean wanted(String[] args) {
    if (args.length == 0
        || !args[0].equals("run")
        || launched()
        || keepsOneJvm(ManagementFactory.getRuntimeMXBean().getInputArguments())) {
      return false;
    }
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    for (String option : HEAP_OPTIONS) {
      VMOption.Origin origin = vm.getVMOption(option).getOrigin();
      if (origin != VMOption.Origin.DEFAULT && origin != VMOption.Origin.ERGONOMIC) {
        return false;
      }
    }
    return Runtime.getRuntime().maxMemory() > ((long) RUN_HEAP_MIB << 20);
  }

  /**
   * Runs {@code args} in a child JVM with {@link #RUN_HEAP_MIB} MiB of heap; returns its exit code.
   */
  static int runBounded(String[] args) throws IOException, InterruptedException {
    discardOwnRecordings();
    ProcessBuilder builder = new ProcessBuilder(childCommand(args));
    // The child is given the options these variables held through its command line already.
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process child = builder.start();
    for (String name : new String[] {"TERM", "INT"}) {
      // A terminal's Ctrl-C reaches both; a SIGTERM sent to the launcher alone is passed on.
      try {
        Signal.handle(new Signal(name), signal -> child.destroy());
      } catch (IllegalArgumentException unsupported) {
        // not a signal of this platform: the shutdown hook below still stops the child
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroy, "vigil-launcher-stop"));
    return child.waitFor();
  }

  /**
   * A flight recording asked for on the command line ({@code -XX:StartFlightRecording}) is the
   * pipeline's: the child is given the same option, and the launcher's own recording, written to
   * the same file when it exits after the child, would be mixed into it. So the launcher closes its
   * recordings without writing them. (A log file of {@code -Xlog} needs nothing: the child's start
   * moves the launcher's file aside, to {@code .0}, and the launcher goes on writing there.)
   */
  static void discardOwnRecordings() throws IOException {
    if (!FlightRecorder.isInitialized()) {
      return; // no recording was asked for; asking would start the recorder
    }
    for (Recording recording : FlightRecorder.getFlightRecorder().getRecordings()) {
      RecordingState state = recording.getState();
      if (state == RecordingState.CLOSED) {
        continue;
      }
      recording.setDumpOnExit(false);
      if (state != RecordingState.STOPPED) {
        recording.setDestination(null); // else closing a running recording writes it there
      }
      recording.close();
    }
  }

  static List<String> childCommand(String[] args) {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-Xmx" + RUN_HEAP_MIB + "m");
    command.add("-D" + LAUNCHER_PROPERTY + "=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(VigilCommand.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  /**
   * In a child, calls {@code stop} once the launcher is gone (its pipe on our standard input
   * closed).
   */
  static void onLauncherGone(Runnable stop) {
    if (!launched()) {
      return;
    }
    Thread watcher =
        new Thread(
            () -> {
              InputStream in = System.in;
              try {
                while (in.read() >= 0) {
                  // nothing is sent; only the end matters
                }
              } catch (IOException closed) {
                // the same as the end
              }
              System.err.println(
                  "vigil: the launcher (pid "
                      + System.getProperty(LAUNCHER_PROPERTY)
                      + ") is gone; stopping");
              stop.run();
            },
            "vigil-launcher-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
