package io.vigil.benchmarks.e2e;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The CloudTrail objects the harness publishes: real background traffic (the Invictus corpus,
 * cycled, each event with a fresh eventID and the current eventTime, so duplicates, windows and
 * suppression see new events at the current time) with marker events among them. A marker is a
 * {@code StopLogging} of its own trail: it raises a new {@code aws-cloudtrail-logging-disabled}
 * alert (entity: the trail), so each marker's alert is a first publication, never an update held
 * back by suppression.
 */
final class CloudTrailLoad {

  static final String MARKER_RULE = "aws-cloudtrail-logging-disabled";

  private static final String ACCOUNT = "111122223333";

  private final ObjectMapper mapper = new ObjectMapper();
  private final List<ObjectNode> background = new ArrayList<>();
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private int next;
  private long serial;
  private long markers;

  CloudTrailLoad(List<JsonNode> corpus) {
    for (JsonNode event : corpus) {
      background.add((ObjectNode) event.deepCopy());
    }
    if (background.isEmpty()) {
      throw new IllegalArgumentException("no background events");
    }
  }

  /** One unit of work as ingest reads it: a {@code {"Records":[...]}} object. */
  record Unit(byte[] json, int events, List<String> markerIds) {}

  /**
   * The next {@code events} events, {@code markerCount} of them markers spread among the rest, all
   * at {@code now}.
   */
  Unit next(int events, int markerCount, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<String> markerIds = new ArrayList<>(markerCount);
    int every = markerCount == 0 ? Integer.MAX_VALUE : Math.max(1, events / markerCount);
    ByteArrayOutputStream out = new ByteArrayOutputStream(events * 1400);
    try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("Records");
      for (int i = 0; i < events; i++) {
        ObjectNode event;
        if (markerIds.size() < markerCount && i % every == every - 1) {
          event = marker(time);
          markerIds.add(event.get("eventID").asText());
        } else {
          event = background.get(next);
          next = (next + 1) % background.size();
          event.put("eventID", runId + "-" + serial++);
          event.put("eventTime", time);
        }
        mapper.writeTree(json, event);
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Unit(out.toByteArray(), events, markerIds);
  }

  private ObjectNode marker(String time) {
    long n = markers++;
    ObjectNode event = mapper.createObjectNode();
    event.put("eventVersion", "1.09");
    ObjectNode identity = event.putObject("userIdentity");
    identity.put("type", "IAMUser");
    identity.put("principalId", "AIDAE2EBENCHMARKER01");
    identity.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/e2e-bench");
    identity.put("accountId", ACCOUNT);
    identity.put("accessKeyId", "AKIAE2EBENCHMARKER01");
    identity.put("userName", "e2e-bench");
    event.put("eventTime", time);
    event.put("eventSource", "cloudtrail.amazonaws.com");
    event.put("eventName", "StopLogging");
    event.put("awsRegion", "us-east-1");
    event.put("sourceIPAddress", "198.51.100.7");
    event.put("userAgent", "aws-cli/2.15.0");
    event
        .putObject("requestParameters")
        .put(
            "name",
            "arn:aws:cloudtrail:us-east-1:" + ACCOUNT + ":trail/e2e-" + runId + "-marker-" + n);
    event.putNull("responseElements");
    event.put("requestID", UUID.randomUUID().toString());
    event.put("eventID", UUID.randomUUID().toString());
    event.put("readOnly", false);
    event.put("eventType", "AwsApiCall");
    event.put("managementEvent", true);
    event.put("recipientAccountId", ACCOUNT);
    event.put("eventCategory", "Management");
    return event;
  }
}
