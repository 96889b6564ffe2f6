package io.vigil.deploy.cli;

import static io.vigil.deploy.VigilJar.readLog;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.deploy.VigilJar;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a user runs it: {@code java -jar deploy/target/vigil.jar run} in its own
 * process, stopped with SIGTERM.
 */
class VigilJarIT {

  static final Path JAR = VigilJar.JAR;

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
    int httpPort = FreePorts.one();
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
  void sigtermWhileAnSqsSourceBacksOffExitsZeroAndTheRestartFindsItsStateIntact() throws Exception {
    // An SQS endpoint that answers every call 501: the S3 notification source fails and backs off
    // (1 s, 2 s, ... 32 s). Stopped in its long wait, the run used to overrun shutdown.timeout and
    // halt with status 1 before the Streams applications closed.
    HttpServer sqs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sqs.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(501, -1);
          exchange.close();
        });
    sqs.start();
    try {
      String endpoint = "http://127.0.0.1:" + sqs.getAddress().getPort();
      int httpPort = FreePorts.one();
      Path data = dataDir.resolve("data");
      String[] args = {
        "run",
        "--data-dir",
        data.toString(),
        "--http-port",
        Integer.toString(httpPort),
        "--set",
        "kafka.embedded.port=0",
        "--set",
        "ingest.s3.queue.url=" + endpoint + "/000000000000/vigil-notifications",
        "--set",
        "aws.endpoint=" + endpoint,
        "--set",
        "aws.region=us-east-1"
      };
      Path log = dataDir.resolve("vigil.log");
      process = start(log, args);
      // Up, with the SQS source failing: /ready says so (503, naming the service and call).
      assertThat(awaitSourceFailureReported(httpPort))
          .as("/ready; log:%n%s", readLog(log))
          .contains("SQS ReceiveMessage");
      // State in the detection stores (CloudTrail only, so the VPC flow dedup store stays empty).
      Path staged = dataDir.resolve("staged.json");
      Files.copy(
          TestData.path(
              "stratus_red_team/docs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json"),
          staged);
      Files.move(staged, data.resolve("inbox").resolve("cloudtrail-stop.json"));
      awaitLog(log, "retrying in PT32S", Duration.ofSeconds(120));
      assertThat(HttpProbe.get(httpPort, "/api/alerts").body())
          .contains("aws-cloudtrail-logging-disabled");

      process.destroy(); // SIGTERM, in the 32 s wait
      assertThat(process.waitFor(60, TimeUnit.SECONDS))
          .as("exited after SIGTERM; log:%n%s", readLog(log))
          .isTrue();
      assertThat(process.exitValue()).as("exit code; log:%n%s", readLog(log)).isZero();
      assertThat(readLog(log)).contains("Vigil stopped in").doesNotContain("halting");

      Path restartLog = dataDir.resolve("vigil-restart.log");
      process = start(restartLog, args);
      assertThat(awaitSourceFailureReported(httpPort))
          .as("/ready again; log:%n%s", readLog(restartLog))
          .contains("SQS ReceiveMessage");
      awaitBody(httpPort, "/api/posture?failing=true", "posture-cloudtrail-not-logging");
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("exit code; log:%n%s", readLog(restartLog)).isZero();
      String restarted = readLog(restartLog);
      // The Streams thread's verdict on a task it wipes and rebuilds (Kafka Streams 4.4 also warns
      // while it pre-opens the stores at start, "Failed to register startup state stores", and
      // wipes nothing there with transactional state stores).
      assertThat(restarted)
          .doesNotContain("TaskCorruptedException")
          .doesNotContain("Detected the states of tasks")
          .doesNotContain("Kafka Streams 'detection' restored")
          .doesNotContain("Kafka Streams 'alert-view' restored");
    } finally {
      sqs.stop(0);
    }
  }

  private static void awaitLog(Path log, String expected, Duration limit) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (!readLog(log).contains(expected)) {
      assertThat(System.nanoTime() < end)
          .as("log line '%s' within %s; log:%n%s", expected, limit, readLog(log))
          .isTrue();
      Thread.sleep(250);
    }
  }

  private static void awaitBody(int port, String path, String expected) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String body = "";
    while (System.nanoTime() < end) {
      var response = HttpProbe.get(port, path);
      body = response == null ? "" : response.body();
      if (response != null && response.statusCode() == 200 && body.contains(expected)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(path + " never contained " + expected + "; last body: " + body);
  }

  @Test
  void aRunKilledHardIsReadyAgainWithoutWaitingForTheOldMembersSessionTimeout() throws Exception {
    int httpPort = FreePorts.one();
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
  void scanRaisesATrailStoppedAndNotRestartedAsTheJarRuns() throws Exception {
    // The jar runs without Avro's trusted-packages property, which the build gives the tests; the
    // absence is decided from a hit kept as Avro bytes, outside any serde.
    Path log = dataDir.resolve("scan.log");
    Path stopped =
        Path.of("..", "testdata", "stratus_red_team", "docs", "detonation-logs")
            .resolve("aws.defense-evasion.cloudtrail-stop.json");
    process = start(log, "scan", stopped.toAbsolutePath().toString());
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(readLog(log)).isZero();
    assertThat(readLog(log))
        .contains("\"rule_id\":\"aws-cloudtrail-stopped-not-restarted\"")
        .contains("\"rule_id\":\"aws-cloudtrail-logging-disabled\"");
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
    // Credentials for the AWS SDK's default chain; the endpoints in these tests are local.
    return VigilJar.start(
        List.of(args),
        Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"),
        "256m",
        log);
  }

  /**
   * Waits until /ready answers 503 naming the SQS source's failing call (not just "starting"), and
   * returns that body; the last body seen when it never does.
   */
  private static String awaitSourceFailureReported(int port) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String body = "";
    while (System.nanoTime() < end) {
      var response = HttpProbe.get(port, "/ready");
      body = response == null ? "" : response.body();
      if (response != null && response.statusCode() == 503 && body.contains("SQS ReceiveMessage")) {
        return body;
      }
      Thread.sleep(200);
    }
    return body;
  }
}
