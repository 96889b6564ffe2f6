package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.testkit.HttpProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil rules coverage --url} against {@code vigil run} on the embedded broker: a file of
 * today's events dropped into the inbox (a trail stopped, an S3 read) shows, through the HTTP API
 * and the command, which rules had their events and which fired; a rule whose events never came
 * says so, and tells a quiet service (S3: events, not the calls the rule reads) from a blind one
 * (KMS: no event at all). The API asks for the token like every other.
 */
class RulesCoverageEvidenceIT {

  private static final String TOKEN = "it-" + UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void aRunningPipelineShowsWhichRulesSawTheirEventsAndWhichFired() throws Exception {
    Map<String, String> settings =
        Map.of(
            "data.dir", dataDir.toString(),
            "kafka.embedded.port", "0",
            "http.port", "0",
            "http.host", "127.0.0.1",
            "topics.partitions", "1",
            "sinks", "[]",
            "http.token", TOKEN);
    try (VigilRuntime runtime =
        VigilRuntime.start(
            VigilConfig.load(Optional.empty(), Map.of(), settings), PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      String url = "http://127.0.0.1:" + runtime.httpPort();
      dropIntoInbox(todaysEvents());

      JsonNode coverage = awaitEvidence(url);
      JsonNode stopped = rule(coverage, "aws-cloudtrail-logging-disabled");
      assertThat(stopped.get("telemetry_seen").asBoolean()).isTrue();
      assertThat(stopped.get("last_fired").isTextual()).isTrue();
      assertThat(stopped.get("alerts").asLong()).isEqualTo(1);
      assertThat(stopped.get("telemetry").asText()).contains("stoplogging");
      // a posture rule reads the trail's events too
      assertThat(rule(coverage, "posture-cloudtrail-not-logging").get("telemetry_seen").asBoolean())
          .isTrue();
      // no KMS event came: those rules are blind here, and say so
      JsonNode kms = rule(coverage, "aws-kms-key-disabled-or-deleted");
      assertThat(kms.get("telemetry_seen").asBoolean()).isFalse();
      assertThat(kms.get("last_event").isNull()).isTrue();
      assertThat(kms.get("last_fired").isNull()).isTrue();
      assertThat(rule(coverage, "posture-kms-key-disabled").get("telemetry_seen").asBoolean())
          .isFalse();
      assertThat(coverage.get("evidence_days").asInt()).isEqualTo(1);
      // an S3 read came, not the bucket policy or ACL calls the rule reads: quiet, not blind
      JsonNode bucketPublic = rule(coverage, "aws-s3-bucket-public");
      assertThat(bucketPublic.get("telemetry_seen").asBoolean()).isFalse();
      assertThat(bucketPublic.get("service_seen").asBoolean()).isTrue();
      assertThat(kms.get("service_seen").asBoolean()).isFalse();

      StringWriter table = new StringWriter();
      int exit =
          VigilCommand.execute(
              new String[] {"rules", "coverage", "--url", url, "--days", "1"},
              Map.of("VIGIL_HTTP_TOKEN", TOKEN),
              new PrintWriter(table, true),
              new PrintWriter(new StringWriter(), true));
      assertThat(exit).isZero();
      assertThat(table.toString())
          .contains("Evidence from the running pipeline, last 1 days")
          .containsPattern("aws-kms-key-disabled-or-deleted +NOT SEEN +never +never")
          .containsPattern("aws-s3-bucket-public +QUIET +never +never")
          .containsPattern("aws-cloudtrail-logging-disabled +seen +20");

      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/api/coverage")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      StringWriter err = new StringWriter();
      assertThat(
              VigilCommand.execute(
                  new String[] {"rules", "coverage", "--url", url},
                  Map.of(),
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(err, true)))
          .isEqualTo(VigilCommand.EXIT_FAILURE);
      assertThat(err.toString()).contains("answered 401");

      // A named user's token, from a variable of the caller's choosing rather than http.token.
      assertThat(
              VigilCommand.execute(
                  new String[] {"rules", "coverage", "--url", url, "--token-env", "MY_VIGIL_TOKEN"},
                  Map.of("MY_VIGIL_TOKEN", TOKEN),
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(new StringWriter(), true)))
          .isZero();
      StringWriter unset = new StringWriter();
      assertThat(
              VigilCommand.execute(
                  new String[] {"rules", "coverage", "--url", url, "--token-env", "MY_VIGIL_TOKEN"},
                  Map.of(),
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(unset, true)))
          .isNotZero();
      assertThat(unset.toString())
          .contains("--token-env: environment variable MY_VIGIL_TOKEN is not set");
    }
  }

  /** Asks the command for its JSON until the trail rule's alert and the S3 read are counted. */
  private static JsonNode awaitEvidence(String url) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit =
          VigilCommand.execute(
              new String[] {"rules", "coverage", "--url", url, "--days", "1", "--json"},
              Map.of("VIGIL_HTTP_TOKEN", TOKEN),
              new PrintWriter(out, true),
              new PrintWriter(err, true));
      last = out + err.toString();
      if (exit == 0) {
        JsonNode coverage = JSON.readTree(out.toString());
        JsonNode stopped = rule(coverage, "aws-cloudtrail-logging-disabled");
        if (stopped.get("last_fired").isTextual()
            && rule(coverage, "posture-s3-bucket-public").get("telemetry_seen").asBoolean()) {
          return coverage;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no evidence within 90 s; last answer: " + last);
  }

  private static JsonNode rule(JsonNode coverage, String id) {
    for (JsonNode tactic : coverage.get("tactics")) {
      for (JsonNode technique : tactic.get("techniques")) {
        for (JsonNode rule : technique.get("rules")) {
          if (rule.get("id").asText().equals(id)) {
            return rule;
          }
        }
      }
    }
    throw new AssertionError("no rule " + id + " in the coverage");
  }

  private void dropIntoInbox(String records) throws Exception {
    Path staged = dataDir.resolve("today.json");
    Files.writeString(staged, records, StandardCharsets.UTF_8);
    Files.move(staged, dataDir.resolve("inbox").resolve("today.json"));
  }

  /** A trail stopped by an admin role a minute ago, and an S3 read just now. */
  private static String todaysEvents() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> admin = new HashMap<>();
    admin.put("type", "AssumedRole");
    admin.put("principalId", "AROAEXAMPLEADMIN:alice");
    admin.put("arn", "arn:aws:sts::111122223333:assumed-role/admin/alice");
    admin.put("accountId", "111122223333");
    admin.put("accessKeyId", "ASIAEXAMPLEKEY");
    Map<String, Object> stop =
        event(now.minusSeconds(60), "cloudtrail.amazonaws.com", "StopLogging", admin);
    stop.put(
        "requestParameters",
        Map.of("name", "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"));
    Map<String, Object> read = event(now, "s3.amazonaws.com", "GetObject", admin);
    read.put("requestParameters", Map.of("bucketName", "reports", "key", "q3.csv"));
    return JSON.writeValueAsString(Map.of("Records", java.util.List.of(stop, read)));
  }

  private static Map<String, Object> event(
      Instant at, String source, String name, Map<String, Object> who) {
    Map<String, Object> e = new HashMap<>();
    e.put("eventVersion", "1.09");
    e.put("userIdentity", who);
    e.put("eventTime", at.toString());
    e.put("eventSource", source);
    e.put("eventName", name);
    e.put("awsRegion", "us-east-1");
    e.put("sourceIPAddress", "203.0.113.10");
    e.put("userAgent", "aws-cli/2.15.0");
    e.put("requestID", UUID.randomUUID().toString());
    e.put("eventID", UUID.randomUUID().toString());
    e.put("readOnly", name.startsWith("Get"));
    e.put("eventType", "AwsApiCall");
    e.put("managementEvent", !source.startsWith("s3"));
    e.put("recipientAccountId", "111122223333");
    return e;
  }
}
