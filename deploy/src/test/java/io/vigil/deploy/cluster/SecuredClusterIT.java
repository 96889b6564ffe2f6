package io.vigil.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cli.VigilCommand;
import io.vigil.deploy.VigilJar;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vigil on authenticated clusters made by {@code tools/kafka-cluster/cluster}: SASL_SSL with
 * SCRAM-SHA-512, and mutual TLS, three brokers each (they authenticate to each other the same way),
 * with the certificates the script generates. {@code vigil run} (ingest, Kafka Streams, sinks,
 * admin) takes the client settings from the {@code VIGIL_KAFKA_*} variables the script writes,
 * ingests a file from its inbox and raises its alert; {@code vigil demo}, {@code vigil report} and
 * {@code vigil dlq} work against the same cluster with the same settings; no secret (a keystore or
 * truststore password, the SCRAM password) appears in any of their output or logs.
 */
class SecuredClusterIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private Path cluster;

  @AfterEach
  void stopEverything() throws Exception {
    processes.forEach(Process::destroyForcibly);
    if (cluster != null) {
      ClusterScript.run(dir, "stop", cluster.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sasl_ssl", "mtls"})
  void everyVigilClientWorksOnTheAuthenticatedClusterAndNoSecretIsShown(String security)
      throws Exception {
    cluster = dir.resolve("kafka");
    String bootstrap =
        ClusterScript.lastLine(
            ClusterScript.run(dir, "start", cluster.toString(), "3", "--security", security));
    Map<String, String> env = clientEnv(cluster.resolve("client.env"));
    assertThat(env)
        .containsEntry(
            "VIGIL_KAFKA_SECURITY_PROTOCOL", security.equals("mtls") ? "SSL" : "SASL_SSL");
    List<String> secrets = secrets(cluster.resolve("tls"));

    Path data = Files.createDirectories(dir.resolve("run"));
    Path inbox = Files.createDirectories(data.resolve("inbox"));
    int port = FreePorts.one();
    Path runLog = dir.resolve("run.log");
    startRun(
        env,
        runLog,
        "run",
        "--data-dir",
        data.toString(),
        "--bootstrap-servers",
        bootstrap,
        "--set",
        "http.port=" + port,
        "--set",
        "http.host=127.0.0.1",
        "--set",
        "ingest.files.inbox=" + inbox);
    assertThat(HttpProbe.awaitReady(port, Duration.ofSeconds(180))).isEqualTo(200);

    Path staged = data.resolve("staged.json");
    Files.copy(
        TestData.path(
            "stratus_red_team/docs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json"),
        staged);
    Files.move(staged, inbox.resolve("cloudtrail-stop.json"));
    assertThat(awaitAlert(port, "aws-cloudtrail-logging-disabled"))
        .as("the alert of a file ingested over %s", security)
        .isTrue();

    Outcome demo =
        vigil(
            env,
            "demo",
            "--bootstrap-servers",
            bootstrap,
            "--data-dir",
            dir.resolve("demo").toString(),
            "--scenario",
            "root-account-use",
            "--wait",
            "120s");
    assertThat(demo.code()).as(demo.all()).isZero();
    assertThat(demo.out()).contains("aws-root-account-usage");

    Outcome report =
        vigil(
            env,
            "report",
            "--bootstrap-servers",
            bootstrap,
            "--data-dir",
            dir.resolve("report").toString(),
            "--framework",
            "cis-aws",
            "--format",
            "json",
            "--output",
            dir.resolve("cis.json").toString());
    assertThat(report.code()).as(report.all()).isZero();
    JsonNode json = JSON.readTree(dir.resolve("cis.json").toFile());
    assertThat(json.toString()).contains("aws-cloudtrail-logging-disabled");

    Outcome dlq =
        vigil(
            env,
            "dlq",
            "--summary",
            "--bootstrap-servers",
            bootstrap,
            "--data-dir",
            dir.resolve("dlq").toString());
    assertThat(dlq.code()).as(dlq.all()).isZero();

    String logged = Files.readString(runLog, StandardCharsets.UTF_8);
    for (String secret : secrets) {
      assertThat(logged).as("vigil run's log").doesNotContain(secret);
      for (Outcome outcome : List.of(demo, report, dlq)) {
        assertThat(outcome.all()).doesNotContain(secret);
      }
    }
  }

  private boolean awaitAlert(int port, String ruleId) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < end) {
      var response = HttpProbe.get(port, "/api/alerts?rule=" + ruleId);
      if (response.statusCode() == 200 && !JSON.readTree(response.body()).get("alerts").isEmpty()) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  /** The {@code export VIGIL_KAFKA_...='...'} lines the script writes, as variables. */
  private static Map<String, String> clientEnv(Path file) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String assignment = line.substring("export ".length());
      int eq = assignment.indexOf('=');
      String value = assignment.substring(eq + 1);
      env.put(assignment.substring(0, eq), value.substring(1, value.length() - 1));
    }
    return env;
  }

  /** Every password the script made: the stores', and the SCRAM users' for SASL_SSL. */
  private static List<String> secrets(Path tls) throws IOException {
    List<String> secrets = new ArrayList<>();
    for (String name : List.of("password", "client-password", "broker-password")) {
      Path file = tls.resolve(name);
      if (Files.exists(file)) {
        secrets.add(Files.readString(file, StandardCharsets.UTF_8).strip());
      }
    }
    assertThat(secrets).isNotEmpty().allSatisfy(s -> assertThat(s).hasSizeGreaterThan(20));
    return secrets;
  }

  private void startRun(Map<String, String> env, Path log, String... args) throws IOException {
    processes.add(VigilJar.start(List.of(args), env, "768m", log));
  }

  private record Outcome(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** A {@code vigil} command run here, with {@code env} as its environment. */
  private static Outcome vigil(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        VigilCommand.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }
}
