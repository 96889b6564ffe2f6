package io.vigil.ingest.decode;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * free-form parts and userIdentity), and the typed fields, nested ones included, are picked up on
 * the way: no tree is built. A value over the record limit is skipped, not materialised. Reused for
 * every event of a decode; not thread-safe.
 *
 * <p>{@code rawJson} is the event in compact form: every field, value and number text of the
 * original, whitespace dropped, so the same event gives the same text whichever way it was
 * delivered. When {@code eventTime} is absent, Logstash's {@code @timestamp} stands in for it
 * (captures shipped through Logstash move the time there).
 */
final class CloudTrailEventReader {

  enum Outcome {
    EVENT,
    NOT_AN_EVENT,
    BAD_EVENT_TIME,
    TOO_LARGE
  }

  private final long maxRecordBytes;
  private final CompactJson json = new CompactJson();
  private CloudTrailEvent event;
  private String message;
  private long originalSize;

  CloudTrailEventReader(long maxRecordBytes) {
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
   * Reads the value at the parser's current token and leaves the parser on its last token. Throws
   * only what the parser throws (invalid JSON, or the underlying stream).
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
        case "userIdentity" -> e.setUserIdentity(userIdentity(p, v, limit));
        case "resources" -> e.setResources(resources(p, v, limit));
        case "tlsDetails" -> {
          String[] f = fields(p, v, limit, "tlsVersion", "cipherSuite", "clientProvidedHostHeader");
          e.setTlsDetails(f == null ? null : new TlsDetails(f[0], f[1], f[2]));
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
    if (e.getEventID() == null
        || eventTime == null
        || e.getEventName() == null
        || e.getEventSource() == null) {
      message = "JSON object is not a CloudTrail event: it has no " + missing(e, eventTime);
      return Outcome.NOT_AN_EVENT;
    }
    long millis = EventTime.parseMillis(eventTime);
    if (millis == EventTime.INVALID) {
      message =
          "eventTime '"
              + shorten(eventTime)
              + "' of event "
              + shorten(e.getEventID())
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
    message =
        "record of "
            + (originalSize >= 0 ? originalSize + " bytes" : "unknown size")
            + " is over the limit of "
            + maxRecordBytes
            + " bytes (ingest.max.record.bytes)";
    return Outcome.TOO_LARGE;
  }

  /**
   * A typed top-level string: its text for a scalar, null (copied, not typed) for anything else.
   */
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
   * userIdentity, copied once: its typed fields are picked up on the way, its JSON is the slice.
   * Like every nested reader here, it stops copying past the limit (the caller then skips the
   * rest).
   */
  private UserIdentity userIdentity(JsonParser p, JsonToken v, int limit) throws IOException {
    int from = json.length();
    if (v != JsonToken.START_OBJECT) {
      json.copyValue(p, limit);
      return null;
    }
    UserIdentity u = new UserIdentity();
    json.startObject();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      json.fieldName(name);
      JsonToken t = p.nextToken();
      switch (name) {
        case "type" -> u.setType(scalar(p, t, limit));
        case "principalId" -> u.setPrincipalId(scalar(p, t, limit));
        case "arn" -> u.setArn(scalar(p, t, limit));
        case "accountId" -> u.setAccountId(scalar(p, t, limit));
        case "accessKeyId" -> u.setAccessKeyId(scalar(p, t, limit));
        case "userName" -> u.setUserName(scalar(p, t, limit));
        case "invokedBy" -> u.setInvokedBy(scalar(p, t, limit));
        case "identityProvider" -> u.setIdentityProvider(scalar(p, t, limit));
        case "sessionContext" -> u.setSessionContext(sessionContext(p, t, limit));
        default -> json.copyValue(p, limit);
      }
      if (json.length() > limit) {
        CompactJson.skipLevels(p, 1);
        return null;
      }
    }
    json.endObject();
    u.setJson(json.slice(from, json.length()));
    return u;
  }

  private SessionContext sessionContext(JsonParser p, JsonToken v, int limit) throws IOException {
    if (v != JsonToken.START_OBJECT) {
      json.copyValue(p, limit);
      return null;
    }
    SessionContext context = new SessionContext();
    json.startObject();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      json.fieldName(name);
      JsonToken t = p.nextToken();
      switch (name) {
        case "attributes" -> {
          String[] f = fields(p, t, limit, "creationDate", "mfaAuthenticated");
          context.setAttributes(f == null ? null : new SessionAttributes(f[0], f[1]));
        }
        case "sessionIssuer" -> {
          String[] f = fields(p, t, limit, "type", "principalId", "arn", "accountId", "userName");
          // AWS writes an empty sessionIssuer for some identities: no issuer then
          boolean empty =
              f == null
                  || f[0] == null && f[1] == null && f[2] == null && f[3] == null && f[4] == null;
          context.setSessionIssuer(empty ? null : new SessionIssuer(f[0], f[1], f[2], f[3], f[4]));
        }
        default -> json.copyValue(p, limit);
      }
      if (json.length() > limit) {
        CompactJson.skipLevels(p, 1);
        return null;
      }
    }
    json.endObject();
    return context;
  }

  private List<CloudTrailResource> resources(JsonParser p, JsonToken v, int limit)
      throws IOException {
    if (v != JsonToken.START_ARRAY) {
      json.copyValue(p, limit);
      return null;
    }
    List<CloudTrailResource> list = new ArrayList<>(2);
    json.startArray();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String[] f = fields(p, t, limit, "ARN", "accountId", "type");
      if (f != null) {
        list.add(new CloudTrailResource(f[0], f[1], f[2]));
      }
      if (json.length() > limit) {
        CompactJson.skipLevels(p, 1);
        return null;
      }
    }
    json.endArray();
    return list;
  }

  /**
   * Copies an object, returning the scalar text of the named top-level fields; null if not an
   * object.
   */
  private String[] fields(JsonParser p, JsonToken v, int limit, String... names)
      throws IOException {
    if (v != JsonToken.START_OBJECT) {
      json.copyValue(p, limit);
      return null;
    }
    String[] values = new String[names.length];
    json.startObject();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      json.fieldName(name);
      JsonToken t = p.nextToken();
      int i = indexOf(names, name);
      if (i >= 0) {
        values[i] = scalar(p, t, limit);
      } else {
        json.copyValue(p, limit);
      }
      if (json.length() > limit) {
        CompactJson.skipLevels(p, 1);
        return values;
      }
    }
    json.endObject();
    return values;
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
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
