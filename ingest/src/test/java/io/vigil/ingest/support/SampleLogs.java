package io.vigil.ingest.support;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SourceType;
import java.time.Instant;
import java.util.Map;

/** Small records and log lines for ingest tests. */
public final class SampleLogs {

  private SampleLogs() {}

  public static CloudTrailEvent cloudTrailEvent(String eventId) {
    return CloudTrailEvent.newBuilder()
        .setEventID(eventId)
        .setEventTime("2026-11-02T10:00:00Z")
        .setEventTimeMillis(Instant.parse("2026-11-02T10:00:00Z"))
        .setEventSource("cloudtrail.amazonaws.com")
        .setEventName("StopLogging")
        .setRawJson(cloudTrailLine(eventId))
        .build();
  }

  /** One CloudTrail event as a JSON line. */
  public static String cloudTrailLine(String eventId) {
    return "{\"eventVersion\":\"1.09\",\"eventTime\":\"2026-11-02T10:00:00Z\","
        + "\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"StopLogging\","
        + "\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"203.0.113.9\","
        + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
        + "\"accountId\":\"111122223333\"},\"eventType\":\"AwsApiCall\","
        + "\"recipientAccountId\":\"111122223333\",\"eventID\":\""
        + eventId
        + "\"}";
  }

  public static FlowRecord flowRecord(String srcaddr, String interfaceId) {
    return FlowRecord.newBuilder()
        .setRecordRef("test#" + interfaceId + srcaddr)
        .setSrcaddr(srcaddr)
        .setInterfaceId(interfaceId)
        .setEnd(1_793_613_600L)
        .build();
  }

  public static Rejected rejected(String location) {
    return Rejected.newBuilder()
        .setReason("json_invalid")
        .setMessage("not JSON")
        .setSourceType(SourceType.file)
        .setSourceLocation(location)
        .setRejectedAt(Instant.parse("2026-11-02T10:00:00Z"))
        .setRaw(java.nio.ByteBuffer.wrap(new byte[] {'{'}))
        .setRawSize(1)
        .setComponent("test")
        .setAttributes(Map.of())
        .build();
  }

  /** A CloudTrail S3 delivery file: gzip of {@code {"Records": [...]}}. */
  public static byte[] cloudTrailRecordsGzip(String... eventIds) {
    StringBuilder json = new StringBuilder("{\"Records\":[");
    for (int i = 0; i < eventIds.length; i++) {
      json.append(i > 0 ? "," : "").append(cloudTrailLine(eventIds[i]));
    }
    return gzip(json.append("]}").toString());
  }

  public static byte[] gzip(String text) {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
