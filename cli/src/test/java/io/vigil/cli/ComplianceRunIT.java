package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS Config / Audit Manager half of the product end to end: {@code vigil run} on the embedded
 * broker, the 55 public Invictus CloudTrail files ingested with {@code vigil ingest}, then the
 * posture API and a CIS report over what they did to the lab account.
 *
 * <p>The lab created, used and deleted every resource it touched within its hour. A retention of 15
 * minutes for deleted resources, on the logs' own timeline, makes the run show both ends of a
 * deletion: the trails, the security group and the first two buckets (deleted at 12:08-12:12) are
 * removed, with tombstones on the posture topic; the last three buckets (deleted at 12:28, when the
 * logs' tracked events end) are still shown as deleted, for the next quarter of an hour.
 */
class ComplianceRunIT {

  static final Path INVICTUS = TestData.path("invictus_aws_dataset/CloudTrail");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRAIL =
      "arn:aws:cloudtrail:us-east-1:123837392027:trail/stratus-red-team-ctlr-trail-zqfsvooxqj";
  private static final String LAST_BUCKET =
      "arn:aws:s3:::stratus-red-team-backdoor-f-bucket-ufamgrrnmw";

  @TempDir Path dataDir;

  @Test
  void invictusActivityShowsInThePostureApiAndTheCisReport() throws Exception {
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "data.dir",
                dataDir.toString(),
                "kafka.embedded.port",
                "0",
                "http.port",
                "0",
                "http.host",
                "127.0.0.1",
                "topics.partitions",
                "1",
                "sinks",
                "[]",
                "posture.deleted_retention",
                "15m"));
    try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      int code =
          VigilCommand.execute(
              new String[] {"ingest", "--data-dir", dataDir.toString(), INVICTUS.toString()},
              Map.of(),
              new PrintWriter(Writer.nullWriter()),
              new PrintWriter(Writer.nullWriter()));
      assertThat(code).isZero();

      // Deleted last: still shown, marked deleted, failing nothing, and only when asked for.
      JsonNode buckets =
          awaitJson(
              runtime.httpPort(),
              "/api/posture?type=AWS::S3::Bucket&deleted=true",
              body ->
                  body.contains(LAST_BUCKET)
                      && resource(parse(body), LAST_BUCKET).get("deleted").asBoolean());
      assertThat(resource(buckets, LAST_BUCKET).get("failing_controls")).isEmpty();
      assertThat(body(runtime.httpPort(), "/api/posture?type=AWS::S3::Bucket"))
          .doesNotContain(LAST_BUCKET);
      assertThat(HttpProbe.get(runtime.httpPort(), "/api/posture?deleted=yes").statusCode())
          .isEqualTo(400);

      // What happened stays in the alerts: the trails were logging when deleted, the group was
      // open.
      awaitJson(
          runtime.httpPort(),
          "/api/alerts?rule=posture-cloudtrail-not-logging",
          body -> body.contains(TRAIL));
      awaitJson(
          runtime.httpPort(),
          "/api/alerts?rule=posture-security-group-open-to-world",
          body -> body.contains("security-group/"));

      // Deleted long enough before the logs end: gone from the store (the sweep runs every 10 s).
      awaitJson(
          runtime.httpPort(),
          "/api/posture?deleted=true",
          body ->
              !body.contains("AWS::CloudTrail::Trail")
                  && !body.contains("security-group/")
                  && !body.contains("stratus-red-team-ctes-bucket"));
      assertThat(
              HttpProbe.get(
                      runtime.httpPort(),
                      "/api/posture/" + URLEncoder.encode(TRAIL, StandardCharsets.UTF_8))
                  .statusCode())
          .isEqualTo(404);
      assertThat(body(runtime.httpPort(), "/api/posture?failing=true"))
          .doesNotContain("stratus-red-team");

      JsonNode report =
          awaitJson(
              runtime.httpPort(),
              "/api/reports/cis-aws?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z",
              body -> body.contains("\"failing\""));
      assertThat(status(report, "3.1")).as("trails were deleted").isEqualTo("failing");
      assertThat(status(report, "5.2"))
          .as("a security group opened to the internet")
          .isEqualTo("failing");
      assertThat(status(report, "4.3")).as("the root account was not used").isEqualTo("passing");

      // vigil report reads the posture topic itself, tombstones included.
      Path file = dataDir.resolve("report.json");
      code =
          VigilCommand.execute(
              new String[] {
                "report",
                "--framework",
                "cis-aws",
                "--format",
                "json",
                "--data-dir",
                dataDir.toString(),
                "--from",
                "2020-01-01T00:00:00Z",
                "--to",
                "2030-01-01T00:00:00Z",
                "--output",
                file.toString()
              },
              Map.of(),
              new PrintWriter(Writer.nullWriter()),
              new PrintWriter(Writer.nullWriter()));
      assertThat(code).isZero();
      JsonNode fromTopics = JSON.readTree(file.toFile());
      assertThat(status(fromTopics, "3.1")).isEqualTo("failing");
      assertThat(status(fromTopics, "5.2")).isEqualTo("failing");
    }
  }

  private static JsonNode resource(JsonNode list, String arn) {
    for (JsonNode r : list.get("resources")) {
      if (r.get("arn").asText().equals(arn)) {
        return r;
      }
    }
    throw new AssertionError("no " + arn + " in " + list);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String body(int port, String path) throws Exception {
    var response = HttpProbe.get(port, path);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private static String status(JsonNode report, String control) {
    for (JsonNode c : report.get("controls")) {
      if (c.get("id").asText().equals(control)) {
        return c.get("status").asText();
      }
    }
    throw new AssertionError("no control " + control);
  }

  private static JsonNode awaitJson(int port, String path, Predicate<String> expected)
      throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String body = "";
    while (System.nanoTime() < end) {
      var response = HttpProbe.get(port, path);
      body = response == null ? "" : response.body();
      if (response != null && response.statusCode() == 200 && expected.test(body)) {
        return JSON.readTree(body);
      }
      Thread.sleep(500);
    }
    throw new AssertionError(path + " never answered as expected; last body: " + body);
  }
}
