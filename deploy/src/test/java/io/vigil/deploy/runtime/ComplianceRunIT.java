package io.vigil.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.deploy.cli.VigilCommand;
import io.vigil.deploy.config.VigilConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS Config / Audit Manager half of the product end to end: {@code vigil run} on the embedded
 * broker, the 55 public Invictus CloudTrail files ingested with {@code vigil ingest}, then the
 * posture API and a CIS report over what they did to the lab account.
 */
class ComplianceRunIT {

  static final Path INVICTUS = Path.of("..", "..", "shared", "corpus", "invictus_aws_dataset", "CloudTrail");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  @Test
  void invictusActivityShowsInThePostureApiAndTheCisReport() throws Exception {
    VigilConfig config = VigilConfig.load(Optional.empty(), Map.of(), Map.of("data.dir", dataDir.toString(),
        "kafka.embedded.port", "0", "http.port", "0", "http.host", "127.0.0.1", "topics.partitions", "1",
        "sinks", "[]"));
    try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      int code = VigilCommand.execute(new String[] {"ingest", "--data-dir", dataDir.toString(), INVICTUS.toString()},
          Map.of(), new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()));
      assertThat(code).isZero();

      JsonNode failing = awaitJson(runtime.httpPort(), "/api/posture?failing=true", "posture-cloudtrail-not-logging");
      assertThat(failing.get("resources").toString()).contains("AWS::CloudTrail::Trail");
      JsonNode groups = awaitJson(runtime.httpPort(), "/api/posture?type=AWS::EC2::SecurityGroup", "security-group/");
      assertThat(groups.get("resources")).isNotEmpty();
      // The lab opened groups to the internet and closed them again: the finding stays as an alert.
      awaitJson(runtime.httpPort(), "/api/alerts?rule=posture-security-group-open-to-world", "security-group/");

      JsonNode report = awaitJson(runtime.httpPort(),
          "/api/reports/cis-aws?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z", "\"failing\"");
      assertThat(status(report, "3.1")).as("trails were stopped and deleted").isEqualTo("failing");
      assertThat(status(report, "5.2")).as("a security group opened to the internet").isEqualTo("failing");
      assertThat(status(report, "4.3")).as("the root account was not used").isEqualTo("passing");
    }
  }

  private static String status(JsonNode report, String control) {
    for (JsonNode c : report.get("controls")) {
      if (c.get("id").asText().equals(control)) {
        return c.get("status").asText();
      }
    }
    throw new AssertionError("no control " + control);
  }

  private static JsonNode awaitJson(int port, String path, String expected) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String body = "";
    while (System.nanoTime() < end) {
      var response = HttpProbe.get(port, path);
      body = response == null ? "" : response.body();
      if (response != null && response.statusCode() == 200 && body.contains(expected)) {
        return JSON.readTree(body);
      }
      Thread.sleep(500);
    }
    throw new AssertionError(path + " never contained " + expected + "; last body: " + body);
  }
}
