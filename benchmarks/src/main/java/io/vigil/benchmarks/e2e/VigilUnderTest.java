package io.vigil.benchmarks.e2e;

import io.vigil.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vigil run} from the jar, as a user starts it, in its own JVM (so that its memory and GC
 * pauses are its own, not the harness's): on a temporary data dir with the embedded broker, or
 * against {@code --bootstrap-servers}; HTTP on a free port; its one sink a webhook to the harness.
 * Its GC logs go to {@code gc-<pid>.log} and its output to {@code vigil.log} beside the data dir.
 */
final class VigilUnderTest implements AutoCloseable {

  private static final Pattern GC_PAUSE = Pattern.compile(" Pause .* (\\d+(?:\\.\\d+)?)ms$");
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private final Process process;
  private final Path dir;
  private final String bootstrap;
  private final int httpPort;
  private final boolean embedded;
  private final String applicationId;
  private final Thread rssSampler;
  private volatile long maxRssKb;
  private volatile boolean samplingRss;

  private VigilUnderTest(
      Process process,
      Path dir,
      String bootstrap,
      int httpPort,
      boolean embedded,
      String applicationId) {
    this.process = process;
    this.applicationId = applicationId;
    this.embedded = embedded;
    this.dir = dir;
    this.bootstrap = bootstrap;
    this.httpPort = httpPort;
    this.rssSampler = new Thread(this::sampleRss, "e2e-rss");
    rssSampler.setDaemon(true);
  }

  static VigilUnderTest start(LoadOptions options, Path dir, String webhookUrl)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(options.vigilJar())) {
      throw new IllegalStateException(
          options.vigilJar()
              + " not found: build it first (./mvnw -B -DskipTests package) or give --jar");
    }
    // Both ports picked at once: two picked one after the other can be the same port.
    int[] ports = freePorts();
    int httpPort = ports[0];
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(options.jvmArgs());
    // One file per JVM (%p, the pid): without a heap option `vigil run` is a launcher and the
    // pipeline's JVM, both started with these options.
    command.add("-Xlog:gc:file=" + dir.resolve("gc-%p.log"));
    command.addAll(List.of("-jar", options.vigilJar().toString(), "run"));
    set(command, "data.dir=" + dir.resolve("data"));
    set(command, "http.host=127.0.0.1");
    set(command, "http.port=" + httpPort);
    set(command, "ingest.files.inbox=" + dir.resolve("inbox"));
    set(command, "sinks=[{type: webhook, name: e2e, url: \"" + webhookUrl + "\"}]");
    String bootstrap;
    String applicationId = "vigil";
    if (options.bootstrapServers().isPresent()) {
      bootstrap = options.bootstrapServers().get();
      String run = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
      set(command, "kafka.bootstrap.servers=" + bootstrap);
      applicationId = run;
      set(command, "streams.application.id=" + run);
      set(command, "ingest.transactional.id=" + run + "-ingest");
    } else {
      int kafkaPort = ports[1];
      bootstrap = "127.0.0.1:" + kafkaPort;
      set(command, "kafka.embedded.port=" + kafkaPort);
    }
    for (String keyValue : options.sets()) {
      set(command, keyValue);
      if (keyValue.startsWith("streams.application.id=")) {
        applicationId = keyValue.substring(keyValue.indexOf('=') + 1);
      }
    }
    Path log = dir.resolve("vigil.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    VigilUnderTest vigil =
        new VigilUnderTest(
            process, dir, bootstrap, httpPort, options.bootstrapServers().isEmpty(), applicationId);
    try {
      vigil.awaitReady(Duration.ofMinutes(3));
    } catch (IOException | InterruptedException | RuntimeException e) {
      vigil.close();
      throw e;
    }
    return vigil;
  }

  private static void set(List<String> command, String keyValue) {
    command.add("--set");
    command.add(keyValue);
  }

  /** Two different free ports: the first socket is held while the second is picked. */
  private static int[] freePorts() throws IOException {
    try (ServerSocket first = new ServerSocket(0);
        ServerSocket second = new ServerSocket(0)) {
      return new int[] {first.getLocalPort(), second.getLocalPort()};
    }
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "vigil run exited with " + process.exitValue() + "; its output: " + logTail());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("vigil run not ready after " + timeout + ": " + logTail());
  }

  String bootstrapServers() {
    return bootstrap;
  }

  /**
   * What the harness's own Kafka clients need: the bootstrap servers and, on the embedded broker,
   * its credentials from the data dir (found as {@code vigil demo} finds them).
   */
  Map<String, Object> clientSettings() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", bootstrap);
    if (embedded) {
      EmbeddedKafkaBroker.Endpoint endpoint =
          EmbeddedKafkaBroker.runningOn(dir.resolve("data"))
              .orElseThrow(() -> new IllegalStateException("no embedded broker found in " + dir));
      settings.putAll(endpoint.clientSettings());
    }
    return settings;
  }

  /** The prefix of its Streams application ids (and so of their consumer groups). */
  String applicationId() {
    return applicationId;
  }

  /** Where its HTTP server answers: {@code http://127.0.0.1:PORT}. */
  String httpUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  Path inbox() {
    return dir.resolve("inbox");
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return dir.resolve("vigil.log");
  }

  /** Samples the process's resident set every 250 ms from now on; the most is {@link #maxRssMb}. */
  void startSamplingRss() {
    samplingRss = true;
    rssSampler.start();
  }

  long maxRssMb() {
    return maxRssKb / 1024;
  }

  // The resident sets of the process and its descendants together (the launcher and the
  // pipeline's JVM when no heap option was given).
  private void sampleRss() {
    while (samplingRss && process.isAlive()) {
      try {
        long kb = rssKb(process.toHandle());
        for (ProcessHandle child : process.descendants().toList()) {
          kb += rssKb(child);
        }
        maxRssKb = Math.max(maxRssKb, kb);
        Thread.sleep(250);
      } catch (IOException e) {
        return; // no /proc (not Linux) or the process is gone: RSS stays unmeasured
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static long rssKb(ProcessHandle handle) throws IOException {
    Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc/" + handle.pid() + "/status")));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /**
   * Every stop-the-world pause in the GC logs so far (one per JVM), in microseconds (for {@link
   * Latencies}).
   */
  List<Long> gcPausesMicros() throws IOException {
    List<Long> pauses = new ArrayList<>();
    try (var logs = Files.newDirectoryStream(dir, "gc-*.log")) {
      for (Path gcLog : logs) {
        for (String line : Files.readAllLines(gcLog)) {
          Matcher m = GC_PAUSE.matcher(line);
          if (m.find()) {
            pauses.add(Math.round(Double.parseDouble(m.group(1)) * 1000));
          }
        }
      }
    }
    return pauses;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Stops it as Ctrl-C would (SIGTERM), killing it if it has not stopped within a minute. */
  @Override
  public void close() throws InterruptedException {
    samplingRss = false;
    process.destroy();
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
    }
  }
}
