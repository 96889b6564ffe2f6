package io.vigil.deploy.cli;

import static io.vigil.deploy.VigilJar.readLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vigil.deploy.VigilJar;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpProbe;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar vigil.jar run} with no heap option, as the README runs it: the pipeline runs in
 * a second JVM with a 512 MiB heap, which stops with its launcher however the launcher goes, and
 * whose flight recording, when one is asked for, is the only one in its file; a heap option given
 * keeps it in one JVM.
 */
class HeapBoundIT {

  private static final long BOUND = 512L << 20;

  // G1's old generation is the heap pool whose maximum is the heap's.
  private static final Pattern HEAP_MAX =
      Pattern.compile("jvm_memory_max_bytes\\{area=\"heap\",id=\"G1 Old Gen\"} (\\S+)");

  @TempDir Path dir;

  private Process launcher;

  @BeforeAll
  static void theJvmsOwnDefaultIsLargerThanTheBound() {
    long physical =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    assumeThat(physical / 4)
        .as("the JVM's default heap (a quarter of the memory) is above 512 MiB only with > 2 GiB")
        .isGreaterThan(BOUND);
  }

  @AfterEach
  void killLeftovers() {
    if (launcher != null) {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  @Test
  void withoutAHeapOptionThePipelineRunsBoundedAndStopsInOrderOnSigterm() throws Exception {
    int port = startReady(null);
    ProcessHandle pipeline = onlyChild();
    assertThat(pipeline.info().arguments().map(List::of).orElse(List.of())).contains("-Xmx512m");
    assertThat(heapMax(port)).isEqualTo(BOUND);

    launcher.destroy(); // SIGTERM to the launcher alone: passed on
    assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("log:%n%s", readLog(log())).isTrue();
    assertThat(launcher.exitValue()).as("log:%n%s", readLog(log())).isZero();
    assertThat(pipeline.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(readLog(log())).contains("Vigil stopped in").doesNotContain("halting");
  }

  @Test
  void aLauncherKilledHardTakesThePipelineWithIt() throws Exception {
    startReady(null);
    ProcessHandle pipeline = onlyChild();

    launcher.destroyForcibly(); // SIGKILL: no handler runs in the launcher
    assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(pipeline.onExit().get(60, TimeUnit.SECONDS).isAlive())
        .as("log:%n%s", readLog(log()))
        .isFalse();
    assertThat(readLog(log())).contains("is gone; stopping").contains("Vigil stopped in");
  }

  @Test
  void aFlightRecordingAskedForHoldsThePipelineAlone() throws Exception {
    Path recording = dir.resolve("vigil.jfr");
    startReady(null, Map.of("JDK_JAVA_OPTIONS", "-XX:StartFlightRecording=filename=" + recording));
    ProcessHandle pipeline = onlyChild();

    launcher.destroy();
    assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("log:%n%s", readLog(log())).isTrue();
    // Each JVM that wrote into the file left its own JVMInformation event in it.
    Set<Long> recorded = new TreeSet<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (event.getEventType().getName().equals("jdk.JVMInformation")) {
        recorded.add(event.getLong("pid"));
      }
    }
    assertThat(recorded)
        .as("JVMs recorded (launcher %d, pipeline %d)", launcher.pid(), pipeline.pid())
        .containsExactly(pipeline.pid());
  }

  @Test
  void aHeapOptionGivenKeepsOneJvmWithThatHeap() throws Exception {
    int port = startReady("768m");
    assertThat(launcher.descendants().count()).isZero();
    assertThat(heapMax(port)).isEqualTo(768L << 20);
    launcher.destroy();
    assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(launcher.exitValue()).isZero();
  }

  /** Starts {@code vigil run} (with {@code heap}, or none), waits until ready, returns its port. */
  private int startReady(String heap) throws Exception {
    return startReady(heap, Map.of());
  }

  /** As {@link #startReady(String)}, with {@code env} added to the launcher's environment. */
  private int startReady(String heap, Map<String, String> env) throws Exception {
    int port = FreePorts.one();
    launcher =
        VigilJar.start(
            List.of(
                "run",
                "--data-dir",
                dir.resolve("data").toString(),
                "--http-port",
                Integer.toString(port),
                "--set",
                "kafka.embedded.port=0"),
            env,
            heap,
            log());
    assertThat(HttpProbe.awaitReady(port, Duration.ofSeconds(90)))
        .as("/ready; log:%n%s", readLog(log()))
        .isEqualTo(200);
    return port;
  }

  private Path log() {
    return dir.resolve("vigil.log");
  }

  private ProcessHandle onlyChild() {
    List<ProcessHandle> children = launcher.children().toList();
    assertThat(children).as("the launcher's children").hasSize(1);
    return children.get(0);
  }

  private static long heapMax(int port) throws Exception {
    String metrics = HttpProbe.get(port, "/metrics").body();
    Matcher heap = HEAP_MAX.matcher(metrics);
    assertThat(heap.find()).as("the heap's maximum in /metrics").isTrue();
    return (long) Double.parseDouble(heap.group(1));
  }
}
