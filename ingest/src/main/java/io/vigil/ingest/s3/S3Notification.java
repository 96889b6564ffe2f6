package io.vigil.ingest.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an SQS message about S3 objects says, in any of the shapes that reach the queue:
 *
 * <ul>
 *   <li>an S3 event notification ({@code Records[].s3.bucket.name / object.key}, keys URL-encoded
 *       with {@code +} for a space);
 *   <li>the same inside an SNS envelope ({@code Type: Notification}, the event as the {@code
 *       Message} string);
 *   <li>CloudTrail's own SNS notification ({@code s3Bucket} and an {@code s3ObjectKey} array, keys
 *       as they are);
 *   <li>an EventBridge "Object Created" event ({@code detail.bucket.name / detail.object.key}, keys
 *       as they are);
 *   <li>{@code s3:TestEvent}, which S3 sends when notifications are configured: nothing to do.
 * </ul>
 *
 * Events other than object creation (removals, restores) name no object to ingest.
 */
public record S3Notification(List<S3ObjectRef> objects, boolean testEvent) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The message body was not a notification of any known shape. */
  public static final class MalformedNotificationException extends Exception {
    private final String reason;

    MalformedNotificationException(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    /** A short code for the DLQ record and the rejects metric. */
    public String reason() {
      return reason;
    }
  }

  /** Parses an SQS message body. */
  public static S3Notification parse(String body) throws MalformedNotificationException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedNotificationException(
          "sqs_message_not_json", "SQS message body is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedNotificationException(
          "sqs_message_unknown", "SQS message body is not a JSON object");
    }
    return parse(root, 0);
  }

  private static S3Notification parse(JsonNode root, int depth)
      throws MalformedNotificationException {
    if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
      if (depth > 0) {
        throw new MalformedNotificationException(
            "sqs_message_unknown", "SNS envelope inside an SNS envelope");
      }
      try {
        return parse(JSON.readTree(root.get("Message").asText()), depth + 1);
      } catch (JsonProcessingException e) {
        throw new MalformedNotificationException(
            "sqs_message_not_json", "SNS Message is not JSON: " + e.getOriginalMessage());
      }
    }
    if ("s3:TestEvent".equals(root.path("Event").asText())) {
      return new S3Notification(List.of(), true);
    }
    if (root.has("Records") && root.get("Records").isArray()) {
      return s3Event(root.get("Records"));
    }
    if (root.has("s3ObjectKey") && root.path("s3Bucket").isTextual()) {
      return cloudTrailNotification(root);
    }
    if ("aws.s3".equals(root.path("source").asText()) && root.has("detail")) {
      return eventBridge(root);
    }
    throw new MalformedNotificationException(
        "sqs_message_unknown",
        "SQS message is no S3 event, SNS envelope or CloudTrail notification");
  }

  private static S3Notification s3Event(JsonNode records) throws MalformedNotificationException {
    List<S3ObjectRef> objects = new ArrayList<>();
    for (JsonNode record : records) {
      String eventName = record.path("eventName").asText("");
      if (!eventName.startsWith("ObjectCreated:")) {
        continue;
      }
      String bucket = record.path("s3").path("bucket").path("name").asText(null);
      String key = record.path("s3").path("object").path("key").asText(null);
      if (bucket == null || key == null) {
        throw new MalformedNotificationException(
            "sqs_message_unknown", "S3 event record without s3.bucket.name or s3.object.key");
      }
      JsonNode object = record.path("s3").path("object");
      objects.add(
          new S3ObjectRef(
              bucket,
              URLDecoder.decode(key, StandardCharsets.UTF_8),
              S3ObjectRef.bareETag(object.path("eTag").asText(null)),
              object.path("size").asLong(-1)));
    }
    return new S3Notification(List.copyOf(objects), false);
  }

  private static S3Notification cloudTrailNotification(JsonNode root)
      throws MalformedNotificationException {
    JsonNode keys = root.get("s3ObjectKey");
    if (!keys.isArray()) {
      throw new MalformedNotificationException(
          "sqs_message_unknown", "CloudTrail notification whose s3ObjectKey is not an array");
    }
    String bucket = root.get("s3Bucket").asText();
    List<S3ObjectRef> objects = new ArrayList<>();
    for (JsonNode key : keys) {
      objects.add(new S3ObjectRef(bucket, key.asText(), null, -1));
    }
    return new S3Notification(List.copyOf(objects), false);
  }

  private static S3Notification eventBridge(JsonNode root) throws MalformedNotificationException {
    if (!"Object Created".equals(root.path("detail-type").asText())) {
      return new S3Notification(List.of(), false);
    }
    JsonNode detail = root.get("detail");
    String bucket = detail.path("bucket").path("name").asText(null);
    String key = detail.path("object").path("key").asText(null);
    if (bucket == null || key == null) {
      throw new MalformedNotificationException(
          "sqs_message_unknown",
          "EventBridge S3 event without detail.bucket.name or detail.object.key");
    }
    return new S3Notification(
        List.of(
            new S3ObjectRef(
                bucket,
                key,
                S3ObjectRef.bareETag(detail.path("object").path("etag").asText(null)),
                detail.path("object").path("size").asLong(-1))),
        false);
  }
}
