package io.vigil.ingest.decode;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.CloudTrailResource;
import io.vigil.schemas.SessionAttributes;
import io.vigil.schemas.SessionContext;
import io.vigil.schemas.SessionIssuer;
import io.vigil.schemas.TlsDetails;
import io.vigil.schemas.UserIdentity;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps one JSON value, read token by token from a parser, to a {@link CloudTrailEvent} in a single
 * pass: the tokens are copied once into compact JSON ({@code rawJson}, and slices of it for the
 * free-form parts), the typed top-level fields are picked up on the way, and only the small
 * structured parts (userIdentity, resources, tlsDetails) are read as trees. A value over the record
 * limit is skipped, not materialised. Reused for every event of a decode; not thread-safe.
 *
 * <p>{@code rawJson} is the event in compact form: every field, value and number text of the
 * original, whitespace dropped, so the same event gives the same text whichever way it was delivered.
 * When {@code eventTime} is absent, Logstash's {@code @timestamp} stands in for it (captures shipped
 * through Logstash move the time there).
 */
final class CloudTrailEventReader {

  enum Outcome { EVENT, NOT_AN_EVENT, BAD_EVENT_TIME, TOO_LARGE }

  private final ObjectMapper trees;
  private final long maxRecordBytes;
  private final CompactJson json = new CompactJson();
  private CloudTrailEvent event;
  private String message;
  private long originalSize;

  CloudTrailEventReader(ObjectMapper trees, long maxRecordBytes) {
    this.trees = trees;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The event of the last {@link Outcome#EVENT}. */
  CloudTrailEvent event() {
    return event;
  }

  /** Why the last value was not an event. */
  String message() {
    return message;
  }

  /** The compact JSON copied so far (for a rejection: possibly only a prefix). */
  String json() {
    return json.toString();
  }

  /** Size of the value in the original input (bytes, or chars for text input); -1 when unknown. */
  long originalSize() {
    return originalSize;
  }

  /**
   * Reads the value at the parser's current token and leaves the parser on its last token.
   * Throws only what the parser throws (invalid JSON, or the underlying stream).
   */
  Outcome read(JsonParser p) throws IOException {
    json.reset();
    event = null;
    message = null;
    long start = offset(p.currentTokenLocation());
    int limit = (int) Math.min(Integer.MAX_VALUE - 16, maxRecordBytes);
    if (p.currentToken() != JsonToken.START_OBJECT) {
      boolean complete = json.copyValue(p, limit);
      originalSize = sizeSince(p, start);
      if (!complete || originalSize > maxRecordBytes) {
        return tooLarge();
      }
      message = "element is a JSON " + describe(p.currentToken()) + ", not an event object";
      return Outcome.NOT_AN_EVENT;
    }
    CloudTrailEvent e = new CloudTrailEvent();
    String eventTime = null;
    String timestamp = null;
    boolean complete = true;
    json.startObject();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      json.fieldName(name);
      JsonToken v = p.nextToken();
      switch (name) {
        case "eventID" -> e.setEventID(scalar(p, v, limit));
        case "eventTime" -> eventTime = scalar(p, v, limit);
        case "@timestamp" -> timestamp = scalar(p, v, limit);
        case "eventSource" -> e.setEventSource(scalar(p, v, limit));
        case "eventName" -> e.setEventName(scalar(p, v, limit));
        case "eventVersion" -> e.setEventVersion(scalar(p, v, limit));
        case "awsRegion" -> e.setAwsRegion(scalar(p, v, limit));
        case "sourceIPAddress" -> e.setSourceIPAddress(scalar(p, v, limit));
        case "userAgent" -> e.setUserAgent(scalar(p, v, limit));
        case "errorCode" -> e.setErrorCode(scalar(p, v, limit));
        case "errorMessage" -> e.setErrorMessage(scalar(p, v, limit));
        case "requestID" -> e.setRequestID(scalar(p, v, limit));
        case "eventType" -> e.setEventType(scalar(p, v, limit));
        case "eventCategory" -> e.setEventCategory(scalar(p, v, limit));
        case "recipientAccountId" -> e.setRecipientAccountId(scalar(p, v, limit));
        case "sharedEventID" -> e.setSharedEventID(scalar(p, v, limit));
        case "vpcEndpointId" -> e.setVpcEndpointId(scalar(p, v, limit));
        case "readOnly" -> e.setReadOnly(bool(scalar(p, v, limit)));
        case "managementEvent" -> e.setManagementEvent(bool(scalar(p, v, limit)));
        case "requestParameters" -> e.setRequestParameters(freeForm(p, v, limit));
        case "responseElements" -> e.setResponseElements(freeForm(p, v, limit));
        case "additionalEventData" -> e.setAdditionalEventData(freeForm(p, v, limit));
        case "serviceEventDetails" -> e.setServiceEventDetails(freeForm(p, v, limit));
        case "userIdentity" -> {
          int from = json.length();
          JsonNode node = structured(p, limit);
          complete = node != null;
          if (complete) {
            e.setUserIdentity(userIdentity(node, json.slice(from, json.length())));
          }
        }
        case "resources" -> {
          JsonNode node = structured(p, limit);
          complete = node != null;
          if (complete) {
            e.setResources(resources(node));
          }
        }
        case "tlsDetails" -> {
          JsonNode node = structured(p, limit);
          complete = node != null;
          if (complete) {
            e.setTlsDetails(tlsDetails(node));
          }
        }
        default -> complete &= json.copyValue(p, limit);
      }
      if (!complete || json.length() > limit) {
        CompactJson.skipLevels(p, 1);
        originalSize = sizeSince(p, start);
        return tooLarge();
      }
    }
    json.endObject();
    originalSize = sizeSince(p, start);
    if (originalSize > maxRecordBytes) {
      return tooLarge();
    }
    if (eventTime == null) {
      eventTime = timestamp;
    }
    if (e.getEventID() == null || eventTime == null || e.getEventName() == null || e.getEventSource() == null) {
      message = "JSON object is not a CloudTrail event: it has no " + missing(e, eventTime);
      return Outcome.NOT_AN_EVENT;
    }
    long millis = EventTime.parseMillis(eventTime);
    if (millis == EventTime.INVALID) {
      message = "eventTime '" + shorten(eventTime) + "' of event " + shorten(e.getEventID())
          + " is not an ISO-8601 date-time";
      return Outcome.BAD_EVENT_TIME;
    }
    e.setEventTime(eventTime);
    e.setEventTimeMillis(Instant.ofEpochMilli(millis));
    e.setRawJson(json.toString());
    event = e;
    return Outcome.EVENT;
  }

  private Outcome tooLarge() {
    message = "record of " + (originalSize >= 0 ? originalSize + " bytes" : "unknown size")
        + " is over the limit of " + maxRecordBytes + " bytes (ingest.max.record.bytes)";
    return Outcome.TOO_LARGE;
  }

  /** A typed top-level string: its text for a scalar, null (copied, not typed) for anything else. */
  private String scalar(JsonParser p, JsonToken v, int limit) throws IOException {
    if (v == JsonToken.VALUE_STRING) {
      String s = p.getText();
      json.string(s);
      return s;
    }
    json.copyValue(p, limit);
    return v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : null;
  }

  private static Boolean bool(String s) {
    if ("true".equals(s)) {
      return Boolean.TRUE;
    }
    if ("false".equals(s)) {
      return Boolean.FALSE;
    }
    return null;
  }

  private String freeForm(JsonParser p, JsonToken v, int limit) throws IOException {
    int from = json.length();
    json.copyValue(p, limit);
    return v == JsonToken.VALUE_NULL ? null : json.slice(from, json.length());
  }

  /**
   * Copies a small structured part (bounded by the limit, so a hostile one is never materialised)
   * and reads the copy back as a tree for its typed fields; null when it passed the limit.
   */
  private JsonNode structured(JsonParser p, int limit) throws IOException {
    int from = json.length();
    if (!json.copyValue(p, limit)) {
      return null;
    }
    if (!p.currentToken().isStructEnd()) {
      return MissingNode.getInstance();
    }
    return trees.readTree(json.slice(from, json.length()));
  }

  private static UserIdentity userIdentity(JsonNode n, String raw) {
    if (!n.isObject()) {
      return null;
    }
    UserIdentity u = new UserIdentity();
    u.setType(text(n, "type"));
    u.setPrincipalId(text(n, "principalId"));
    u.setArn(text(n, "arn"));
    u.setAccountId(text(n, "accountId"));
    u.setAccessKeyId(text(n, "accessKeyId"));
    u.setUserName(text(n, "userName"));
    u.setInvokedBy(text(n, "invokedBy"));
    u.setIdentityProvider(text(n, "identityProvider"));
    JsonNode sc = n.get("sessionContext");
    if (sc != null && sc.isObject()) {
      SessionContext context = new SessionContext();
      JsonNode attributes = sc.get("attributes");
      if (attributes != null && attributes.isObject()) {
        context.setAttributes(new SessionAttributes(text(attributes, "creationDate"),
            text(attributes, "mfaAuthenticated")));
      }
      JsonNode issuer = sc.get("sessionIssuer");
      if (issuer != null && issuer.isObject() && !issuer.isEmpty()) {
        context.setSessionIssuer(new SessionIssuer(text(issuer, "type"), text(issuer, "principalId"),
            text(issuer, "arn"), text(issuer, "accountId"), text(issuer, "userName")));
      }
      u.setSessionContext(context);
    }
    u.setJson(raw);
    return u;
  }

  private static List<CloudTrailResource> resources(JsonNode n) {
    if (!n.isArray()) {
      return null;
    }
    List<CloudTrailResource> list = new ArrayList<>(n.size());
    for (JsonNode r : n) {
      if (r.isObject()) {
        list.add(new CloudTrailResource(text(r, "ARN"), text(r, "accountId"), text(r, "type")));
      }
    }
    return list;
  }

  private static TlsDetails tlsDetails(JsonNode n) {
    if (!n.isObject()) {
      return null;
    }
    return new TlsDetails(text(n, "tlsVersion"), text(n, "cipherSuite"), text(n, "clientProvidedHostHeader"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
  }

  private static String missing(CloudTrailEvent e, String eventTime) {
    List<String> names = new ArrayList<>(4);
    if (e.getEventID() == null) {
      names.add("eventID");
    }
    if (eventTime == null) {
      names.add("eventTime");
    }
    if (e.getEventName() == null) {
      names.add("eventName");
    }
    if (e.getEventSource() == null) {
      names.add("eventSource");
    }
    return String.join(", ", names);
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY, END_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> "value";
    };
  }

  static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  private static long sizeSince(JsonParser p, long start) {
    long end = offset(p.currentLocation());
    return start < 0 || end < 0 ? -1 : end - start;
  }

  private static long offset(JsonLocation location) {
    long bytes = location.getByteOffset();
    return bytes >= 0 ? bytes : location.getCharOffset();
  }
}
