package io.vigil.ingest.decode;

import com.fasterxml.jackson.core.JsonFactory;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>Most CloudTrail records are compact already (AWS writes them so): given the bytes under the
 * parser ({@link RecordBytes}), the reader picks up the typed fields, skips the rest without
 * decoding it, and, when the record's bytes are exactly what the copy would have written (ASCII, no
 * escape, no whitespace outside strings), takes {@code rawJson} and the slices from those bytes.
 * Any other record is read again from its bytes through the copy, so the event is the same either
 * way; a stream whose records keep not being compact (pretty-printed) is read through the copy
 * directly.
 */
final class CloudTrailEventReader {

  /** The bytes a byte-based parser reads, by the parser's byte offsets. */
  interface RecordBytes {
    /**
     * The array that holds bytes {@code from} to {@code to} of the parser's input, or null when
     * they are no longer held; valid until the parser reads on.
     */
    byte[] array(long from, long to);

    /** Where the parser's byte offset {@code at} is in {@link #array}. */
    int index(long at);
  }

  // Slots of the free-form values (and userIdentity's JSON) taken as slices of the bytes.
  private static final int REQUEST = 0;
  private static final int RESPONSE = 1;
  private static final int ADDITIONAL = 2;
  private static final int SERVICE = 3;
  private static final int IDENTITY = 4;

  /** Records in a row that were not compact, after which a stream is read through the copy. */
  private static final int NOT_COMPACT_BEFORE_COPYING = 8;

  enum Outcome {
    EVENT,
    NOT_AN_EVENT,
    BAD_EVENT_TIME,
    TOO_LARGE
  }

  private final long maxRecordBytes;
  private final JsonFactory factory;
  private final boolean fromBytes;
  private final CompactJson json = new CompactJson();
  private final long[] sliceFrom = new long[5];
  private final long[] sliceTo = new long[5];
  private CloudTrailEvent event;
  private String message;
  private long originalSize;
  private String raw; // the record's own bytes as text, when they were compact
  private int notCompactInARow;
  private long takenFromBytes;

  /**
   * A reader that takes compact records from their bytes when given them ({@code fromBytes}), with
   * {@code factory} to read the others again; without, every record goes through the copy.
   */
  CloudTrailEventReader(long maxRecordBytes, JsonFactory factory, boolean fromBytes) {
    this.maxRecordBytes = maxRecordBytes;
    this.factory = factory;
    this.fromBytes = fromBytes;
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
    return raw != null ? raw : json.toString();
  }

  /** Records whose text was taken from their bytes so far. */
  long takenFromBytes() {
    return takenFromBytes;
  }

  /** Starts a new stream: whether its records are compact is learnt again. */
  void newStream() {
    notCompactInARow = 0;
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
    return read(p, null);
  }

  /**
   * As {@link #read(JsonParser)}, with the bytes under the parser (null when there are none, as for
   * a parser of text): a compact record's text is then taken from them.
   */
  Outcome read(JsonParser p, RecordBytes bytes) throws IOException {
    boolean fromTheBytes =
        bytes != null
            && fromBytes
            && notCompactInARow < NOT_COMPACT_BEFORE_COPYING
            && p.currentToken() == JsonToken.START_OBJECT;
    json.reset();
    // From the bytes, nothing is copied: values that are not typed are skipped undecoded.
    json.copying(!fromTheBytes);
    raw = null;
    event = null;
    message = null;
    if (fromTheBytes) {
      Arrays.fill(sliceFrom, -1);
    }
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
        case "requestParameters" -> e.setRequestParameters(freeForm(REQUEST, p, v, limit));
        case "responseElements" -> e.setResponseElements(freeForm(RESPONSE, p, v, limit));
        case "additionalEventData" -> e.setAdditionalEventData(freeForm(ADDITIONAL, p, v, limit));
        case "serviceEventDetails" -> e.setServiceEventDetails(freeForm(SERVICE, p, v, limit));
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
    if (fromTheBytes) {
      return fromBytes(e, eventTime, timestamp, bytes, start);
    }
    if (originalSize > maxRecordBytes) {
      return tooLarge();
    }
    return finish(e, eventTime, timestamp, json.toString());
  }

  /**
   * A record read without copying: its text from its bytes when they are what the copy would have
   * written, else read again from them through the copy.
   */
  private Outcome fromBytes(
      CloudTrailEvent e, String eventTime, String timestamp, RecordBytes bytes, long start)
      throws IOException {
    byte[] array = bytes.array(start, start + originalSize);
    if (array == null) {
      // Only a record longer than what the bytes keep (twice the record limit) is let go: its text
      // is gone, so the message names the event it was.
      Outcome outcome = tooLarge();
      if (e.getEventID() != null) {
        message += "; its eventID is " + shorten(e.getEventID());
        if (e.getEventName() != null) {
          message += ", eventName " + shorten(e.getEventName());
        }
      }
      return outcome;
    }
    int from = bytes.index(start);
    int length = (int) originalSize;
    String text = originalSize > maxRecordBytes ? null : compactText(array, from, length);
    if (text == null) {
      notCompactInARow++;
      try (JsonParser again = factory.createParser(array, from, length)) {
        again.nextToken();
        return read(again, null);
      }
    }
    notCompactInARow = 0;
    takenFromBytes++;
    raw = text;
    if (e.getUserIdentity() != null) {
      e.getUserIdentity().setJson(slice(IDENTITY, start));
    }
    e.setRequestParameters(slice(REQUEST, start));
    e.setResponseElements(slice(RESPONSE, start));
    e.setAdditionalEventData(slice(ADDITIONAL, start));
    e.setServiceEventDetails(slice(SERVICE, start));
    return finish(e, eventTime, timestamp, raw);
  }

  /**
   * The text of a record's bytes when they are what the compact copy would write (ASCII without
   * escapes, and no whitespace outside strings), else null. For bytes the parser has read whole, so
   * that the only control characters they can hold are whitespace between tokens.
   *
   * <p>Looked for with {@link String}'s vectorised searches rather than byte by byte: a loop over
   * every byte cost a quarter of the decoder's time. Without escapes every quote opens or closes a
   * string, and whitespace between tokens always has a structural character on one side (two values
   * are never next to each other), so only a space beside one ({@code , : [ ] { }}) can be outside
   * a string: for those alone the quotes before it are counted.
   */
  static String compactText(byte[] b, int from, int length) {
    String text = new String(b, from, length, StandardCharsets.UTF_8);
    if (text.length() != length || text.indexOf('\uFFFD') >= 0) {
      return null; // not ASCII: shorter by its multi-byte characters, or replaced where invalid
    }
    if (text.indexOf('\\') >= 0
        || text.indexOf('\n') >= 0
        || text.indexOf('\r') >= 0
        || text.indexOf('\t') >= 0) {
      return null;
    }
    int counted = 0;
    int quotes = 0;
    for (int space = text.indexOf(' '); space >= 0; space = text.indexOf(' ', space + 1)) {
      if (besideStructural(text, space)) {
        for (; counted < space; counted++) {
          quotes += text.charAt(counted) == '"' ? 1 : 0;
        }
        if ((quotes & 1) == 0) {
          return null;
        }
      }
    }
    return text;
  }

  /**
   * Whether the character before or after this space is structural, or the space is at an end. A
   * run of spaces has no quote in it, so its spaces are all inside or all outside a string, and it
   * has a structural character beside it exactly when its first or last space does: the direct
   * neighbours find every run that matters.
   */
  private static boolean besideStructural(String text, int space) {
    return space == 0
        || space == text.length() - 1
        || structural(text.charAt(space - 1))
        || structural(text.charAt(space + 1));
  }

  /** One of {@code , : [ ] { }}, beside which whitespace may be outside a string. */
  private static boolean structural(char c) {
    return c == ',' || c == ':' || c == '[' || c == ']' || c == '{' || c == '}';
  }

  private String slice(int slot, long start) {
    long from = sliceFrom[slot];
    return from < 0 ? null : raw.substring((int) (from - start), (int) (sliceTo[slot] - start));
  }

  /** The checks every event passes, and its time and text. */
  private Outcome finish(CloudTrailEvent e, String eventTime, String timestamp, String rawJson) {
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
    e.setRawJson(rawJson);
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

  /**
   * A free-form value as compact JSON (null for JSON null); when not copying, null for now, its
   * place in the bytes noted in {@code slot}.
   */
  private String freeForm(int slot, JsonParser p, JsonToken v, int limit) throws IOException {
    if (!json.copying()) {
      if (v != JsonToken.VALUE_NULL) {
        sliceFrom[slot] = p.currentTokenLocation().getByteOffset();
        if (v.isStructStart()) {
          p.skipChildren();
        } else {
          p.finishToken(); // so that the location is past its end
        }
        sliceTo[slot] = p.currentLocation().getByteOffset();
      }
      return null;
    }
    int from = json.length();
    json.copyValue(p, limit);
    return v == JsonToken.VALUE_NULL ? null : json.slice(from, json.length());
  }

  /**
   * userIdentity, copied once: its typed fields are picked up on the way, its JSON is the slice
   * (when not copying, its place in the bytes). Like every nested reader here, it stops copying
   * past the limit (the caller then skips the rest).
   */
  private UserIdentity userIdentity(JsonParser p, JsonToken v, int limit) throws IOException {
    int from = json.length();
    // Where it starts in the bytes, needed only when not copying (each location is a new object).
    long fromByte = json.copying() ? -1 : p.currentTokenLocation().getByteOffset();
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
    if (json.copying()) {
      u.setJson(json.slice(from, json.length()));
    } else {
      sliceFrom[IDENTITY] = fromByte;
      sliceTo[IDENTITY] = p.currentLocation().getByteOffset();
    }
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
