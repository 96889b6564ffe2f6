package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** CloudTrail delivery files as the Kinesis records of a CloudWatch Logs subscription. */
final class CloudWatchLogsRecords {

  private CloudWatchLogsRecords() {}

  /**
   * A CloudTrail file's events as CloudWatch Logs delivers a subscription to Kinesis: a gzipped
   * DATA_MESSAGE whose log events are the CloudTrail events, one JSON object each.
   */
  static byte[] of(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode content = json.readTree(file.toFile());
    // A delivery file ({"Records": [...]}) or a bare array of events.
    JsonNode records = content.isArray() ? content : content.get("Records");
    ObjectNode message = json.createObjectNode();
    message.put("messageType", "DATA_MESSAGE");
    message.put("owner", "123837392027");
    message.put("logGroup", "aws-cloudtrail-logs");
    message.put("logStream", "123837392027_CloudTrail_us-east-1");
    message.putArray("subscriptionFilters").add("vigil");
    ArrayNode events = message.putArray("logEvents");
    int id = 0;
    for (JsonNode record : records) {
      ObjectNode event = events.addObject();
      event.put("id", file.getFileName() + "-" + (id++));
      event.put(
          "timestamp", java.time.Instant.parse(record.get("eventTime").asText()).toEpochMilli());
      event.put("message", json.writeValueAsString(record));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(json.writeValueAsBytes(message));
    }
    return bytes.toByteArray();
  }
}
