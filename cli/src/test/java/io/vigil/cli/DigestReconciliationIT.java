package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.ingest.support.ElasticMqServer;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.S3ProxyEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * No log file silently missed, as a user runs it: {@code vigil run} reads S3 notifications from SQS
 * (ElasticMQ) for a bucket in S3Proxy. A CloudTrail digest lists three log files; one is announced
 * and ingested, one was delivered but never announced, one is gone from the bucket. After the grace
 * period both missing ones are {@code vigil-log-file-missing} alerts with their keys, counted in
 * the metrics; {@code vigil ingest} of the present one's key then ingests it and its events raise
 * their own alert.
 */
class DigestReconciliationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "trail";
  private static final String FOLDER = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/12/05/";

  @TempDir Path dataDir;

  @Test
  void filesADigestListsAndNobodyIngestedAreAlertsAndVigilIngestFetchesThem() throws Exception {
    String announced = FOLDER + "111122223333_CloudTrail_eu-west-1_20261205T0105Z_a.json.gz";
    String unannounced = FOLDER + "111122223333_CloudTrail_eu-west-1_20261205T0110Z_b.json.gz";
    String deleted = FOLDER + "111122223333_CloudTrail_eu-west-1_20261205T0115Z_c.json.gz";
    String digest =
        "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/12/05/"
            + "111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20261205T020000Z.json.gz";
    try (S3ProxyEmulator emulator = S3ProxyEmulator.start();
        S3Client s3 = S3ProxyAccess.client(emulator.endpoint());
        ElasticMqServer elasticMq = ElasticMqServer.start();
        SqsClient sqs = elasticMq.clientSettings().sqs()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      String queue = sqs.createQueue(b -> b.queueName("trail-objects")).queueUrl();
      put(s3, announced, trailFile("ConsoleLogin", "signin.amazonaws.com", "ev-announced"));
      put(s3, unannounced, trailFile("StopLogging", "cloudtrail.amazonaws.com", "ev-hidden"));
      put(s3, digest, gzip(digestOf(announced, unannounced, deleted)));

      Map<String, String> settings = new HashMap<>();
      settings.put("data.dir", dataDir.toString());
      settings.put("http.port", "0");
      settings.put("http.host", "127.0.0.1");
      settings.put("ingest.s3.queue.url", queue);
      settings.put("ingest.s3.digests.grace", "3s");
      settings.put("aws.region", "us-east-1");
      settings.put("aws.s3.endpoint", emulator.endpoint().toString());
      settings.put("aws.s3.path.style", "true");
      settings.put("aws.sqs.endpoint", elasticMq.endpoint().toString());
      settings.put("alerts.update.interval", "1s");
      VigilConfig config = VigilConfig.load(Optional.empty(), Map.of(), settings);

      S3ProxyAccess.withCredentials(
          () -> {
            try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
              assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60)))
                  .isEqualTo(200);
              sqs.sendMessage(b -> b.queueUrl(queue).messageBody(s3Event(announced)));
              sqs.sendMessage(b -> b.queueUrl(queue).messageBody(s3Event(digest)));

              Map<String, JsonNode> missing =
                  awaitAlerts(runtime, "vigil-log-file-missing", 2, Duration.ofSeconds(90));
              assertThat(missing.keySet())
                  .containsExactlyInAnyOrder(
                      "s3://" + BUCKET + "/" + unannounced, "s3://" + BUCKET + "/" + deleted);
              JsonNode present = missing.get("s3://" + BUCKET + "/" + unannounced);
              assertThat(present.get("severity").asText()).isEqualTo("high");
              assertThat(present.at("/evidence/object").asText()).isEqualTo("present");
              assertThat(present.at("/evidence/fetch_with").asText())
                  .isEqualTo("vigil ingest s3://" + BUCKET + "/" + unannounced);
              assertThat(present.at("/evidence/digest").asText())
                  .isEqualTo("s3://" + BUCKET + "/" + digest);
              assertThat(present.get("account_id").asText()).isEqualTo("111122223333");
              assertThat(
                      missing.get("s3://" + BUCKET + "/" + deleted).at("/evidence/object").asText())
                  .isEqualTo("deleted");
              String metrics =
                  HttpProbe.send(runtime.httpPort(), "GET", "/metrics", null, null).body();
              assertThat(metrics)
                  .containsPattern(
                      "vigil_ingest_rejects_total\\{[^}]*reason=\"log_file_missing\"[^}]*\\}"
                          + " 2\\.0")
                  .contains("vigil_ingest_digest_files_waiting");
              assertThat(awaitAlerts(runtime, "aws-cloudtrail-logging-disabled", 0, Duration.ZERO))
                  .as("the unannounced file's events were not seen")
                  .isEmpty();

              // What the alert says to do: fetch the file that is still there.
              String[] args =
                  S3ProxyAccess.ingestArgs(
                      dataDir, emulator.endpoint(), "s3://" + BUCKET + "/" + unannounced);
              StringWriter err = new StringWriter();
              int code =
                  VigilCommand.execute(
                      args,
                      Map.of(),
                      new PrintWriter(Writer.nullWriter()),
                      new PrintWriter(err, true));
              assertThat(code).as(err.toString()).isZero();
              assertThat(
                      awaitAlerts(
                          runtime, "aws-cloudtrail-logging-disabled", 1, Duration.ofSeconds(60)))
                  .as("the fetched file's StopLogging")
                  .hasSize(1);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return 0;
          });
    }
  }

  /** The listed alerts of a rule by entity, once there are {@code count} of them. */
  private static Map<String, JsonNode> awaitAlerts(
      VigilRuntime runtime, String rule, int count, Duration limit) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    Map<String, JsonNode> byEntity = new TreeMap<>();
    do {
      byEntity.clear();
      HttpResponse<String> response =
          HttpProbe.send(runtime.httpPort(), "GET", "/api/alerts?rule=" + rule, null, null);
      if (response.statusCode() == 200) {
        JSON.readTree(response.body())
            .get("alerts")
            .forEach(alert -> byEntity.put(alert.get("entity").asText(), alert));
      }
      if (byEntity.size() >= count && count > 0) {
        return byEntity;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < end);
    return byEntity;
  }

  private static byte[] trailFile(String eventName, String eventSource, String eventId)
      throws IOException {
    String record =
        "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-12-05T01:05:00Z\",\"eventSource\":\""
            + eventSource
            + "\",\"eventName\":\""
            + eventName
            + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"203.0.113.9\","
            + "\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"111122223333\","
            + "\"arn\":\"arn:aws:iam::111122223333:user/mallory\"},"
            + "\"requestParameters\":{\"name\":\"trail\"},\"eventID\":\""
            + eventId
            + "\",\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}";
    return gzip("{\"Records\":[" + record + "]}");
  }

  private static String digestOf(String... keys) {
    StringBuilder json =
        new StringBuilder(
            "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2026-12-05T01:00:00Z\","
                + "\"digestEndTime\":\"2026-12-05T02:00:00Z\",\"logFiles\":[");
    for (int i = 0; i < keys.length; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"s3Bucket\":\"" + BUCKET + "\",\"s3Object\":\"")
          .append(keys[i])
          .append("\",\"hashValue\":\"00\",\"hashAlgorithm\":\"SHA-256\"}");
    }
    return json.append("]}").toString();
  }

  /** An S3 event notification of one created object, as S3 sends it to SQS. */
  private static String s3Event(String key) {
    return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
        + "\"awsRegion\":\"eu-west-1\",\"eventTime\":\"2026-12-05T02:01:00.000Z\","
        + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"s3SchemaVersion\":\"1.0\","
        + "\"bucket\":{\"name\":\""
        + BUCKET
        + "\"},\"object\":{\"key\":\""
        + key
        + "\",\"size\":100}}}]}";
  }

  private static void put(S3Client s3, String key, byte[] content) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
