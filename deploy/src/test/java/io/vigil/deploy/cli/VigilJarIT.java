package io.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.HttpProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a user runs it: {@code java -jar deploy/target/vigil.jar run} in its own
 * process, stopped with SIGTERM.
 */
class VigilJarIT {

  static final Path JAR = Path.of("target", "vigil.jar");

  @TempDir Path dataDir;

  private Process process;

  @AfterEach
  void killLeftovers() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void runBecomesReadyServesStreamsMetricsAndExitsZeroOnSigterm() throws Exception {
    int httpPort = freePort();
    Path log = dataDir.resolve("vigil.log");
    process =
        start(
            log,
            "run",
            "--data-dir",
            dataDir.resolve("data").toString(),
            "--http-port",
            Integer.toString(httpPort),
            "--set",
            "kafka.embedded.port=0");

    assertThat(HttpProbe.awaitReady(httpPort, Duration.ofSeconds(60)))
        .as("/ready within 60 s; log:%n%s", readLog(log))
        .isEqualTo(200);
    assertThat(HttpProbe.get(httpPort, "/metrics").body()).contains("kafka_stream_");

    process.destroy(); // SIGTERM
    boolean exited = process.waitFor(30, TimeUnit.SECONDS);
    assertThat(exited).as("exited after SIGTERM; log:%n%s", readLog(log)).isTrue();
    assertThat(process.exitValue()).as("exit code; log:%n%s", readLog(log)).isZero();
    assertThat(readLog(log)).contains("Vigil stopped in");
  }

  @Test
  void aRunKilledHardIsReadyAgainWithoutWaitingForTheOldMembersSessionTimeout() throws Exception {
    int httpPort = freePort();
    Path log = dataDir.resolve("vigil.log");
    // A session timeout far longer than the wait below: were the old (dead) members not replaced
    // by their static names at once, the restarted pipeline would wait for them to expire (or for
    // the 5 min rebalance timeout) and could not become ready in time.
    String[] args = {
      "run",
      "--data-dir",
      dataDir.resolve("data").toString(),
      "--http-port",
      Integer.toString(httpPort),
      "--set",
      "kafka.embedded.port=0",
      "--set",
      "kafka.session.timeout.ms=900000"
    };
    process = start(log, args);
    assertThat(HttpProbe.awaitReady(httpPort, Duration.ofSeconds(120)))
        .as("/ready within 120 s; log:%n%s", readLog(log))
        .isEqualTo(200);

    process.destroyForcibly(); // SIGKILL: no LeaveGroup, open transactions, unclean broker stop
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Path restartLog = dataDir.resolve("vigil-restart.log");
    process = start(restartLog, args);
    assertThat(HttpProbe.awaitReady(httpPort, Duration.ofSeconds(180)))
        .as("/ready again well before the 15 min session timeout; log:%n%s", readLog(restartLog))
        .isEqualTo(200);
    assertThat(readLog(restartLog)).contains("group instance 'embedded'");
  }

  @Test
  void badConfigValueExitsTwoNamingTheKey() throws Exception {
    Path log = dataDir.resolve("vigil.log");
    process = start(log, "run", "--data-dir", dataDir.toString(), "--set", "http.port=eighty");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(readLog(log)).contains("http.port").contains("eighty");
  }

  @Test
  void missingCommandIsAUsageErrorAndHelpSucceeds() throws Exception {
    Path log = dataDir.resolve("vigil.log");
    process = start(log);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(readLog(log)).contains("missing command");

    process = start(log, "--help");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(readLog(log)).contains("run").contains("version");
  }

  private Process start(Path log, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
    return builder.start();
  }

  private static String readLog(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
