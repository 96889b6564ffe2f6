package io.vigil.ingest.kinesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Test data: what lands on a Kinesis stream that Vigil reads. CloudWatch Logs subscription records
 * (gzip JSON, {@code DATA_MESSAGE} with CloudTrail events as {@code logEvents[].message}, or a
 * {@code CONTROL_MESSAGE} health check), and records put by other producers as they are: a
 * CloudTrail event's JSON, or one VPC flow log line in the default (version 2) format.
 */
final class KinesisPayloads {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ACCOUNT = "111122223333";

  private KinesisPayloads() {}

  /** A CloudTrail management event as CloudTrail writes it. */
  static String cloudTrailEvent(String eventId) {
    ObjectNode event = JSON.createObjectNode();
    event.put("eventVersion", "1.08");
    ObjectNode identity = event.putObject("userIdentity");
    identity.put("type", "IAMUser");
    identity.put("principalId", "AIDAEXAMPLEALICE");
    identity.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/alice");
    identity.put("accountId", ACCOUNT);
    identity.put("userName", "alice");
    event.put("eventTime", "2026-11-01T10:00:00Z");
    event.put("eventSource", "s3.amazonaws.com");
    event.put("eventName", "PutBucketPolicy");
    event.put("awsRegion", "us-east-1");
    event.put("sourceIPAddress", "203.0.113.9");
    event.put("userAgent", "aws-cli/2.15.0");
    event.putObject("requestParameters").put("bucketName", "patient-records-prod");
    event.putNull("responseElements");
    event.put("requestID", "REQ" + eventId);
    event.put("eventID", eventId);
    event.put("readOnly", false);
    event.put("eventType", "AwsApiCall");
    event.put("managementEvent", true);
    event.put("recipientAccountId", ACCOUNT);
    event.put("eventCategory", "Management");
    return event.toString();
  }

  /** A CloudWatch Logs subscription record carrying these CloudTrail events, gzipped. */
  static byte[] cloudWatchData(List<String> eventIds) {
    ObjectNode message = JSON.createObjectNode();
    message.put("messageType", "DATA_MESSAGE");
    message.put("owner", ACCOUNT);
    message.put("logGroup", "aws-cloudtrail-logs-" + ACCOUNT);
    message.put("logStream", ACCOUNT + "_CloudTrail_us-east-1");
    message.putArray("subscriptionFilters").add("vigil");
    ArrayNode events = message.putArray("logEvents");
    long timestamp = 1_761_991_200_000L;
    for (String id : eventIds) {
      ObjectNode logEvent = events.addObject();
      logEvent.put("id", "3" + Math.abs(id.hashCode()));
      logEvent.put("timestamp", timestamp++);
      logEvent.put("message", cloudTrailEvent(id));
    }
    return gzip(message.toString());
  }

  /** The health check CloudWatch Logs sends when a subscription is created, gzipped. */
  static byte[] cloudWatchControl() {
    ObjectNode message = JSON.createObjectNode();
    message.put("messageType", "CONTROL_MESSAGE");
    message.put("owner", "CloudwatchLogs");
    message.put("logGroup", "");
    message.put("logStream", "");
    message.putArray("subscriptionFilters");
    message
        .putArray("logEvents")
        .addObject()
        .put("id", "")
        .put("timestamp", 1_761_991_200_000L)
        .put("message", "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.");
    return gzip(message.toString());
  }

  /** One flow log line in the default format, from {@code srcaddr}. */
  static String flowLine(String srcaddr) {
    return "2 "
        + ACCOUNT
        + " eni-0a1b2c3d4e5f "
        + srcaddr
        + " 10.2.0.9 49152 443 6 10 8400"
        + " 1761991200 1761991260 ACCEPT OK";
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
