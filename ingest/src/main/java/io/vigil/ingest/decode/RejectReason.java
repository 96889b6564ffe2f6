package io.vigil.ingest.decode;

/**
 * Why a record went to the dead-letter topic: a short, stable code for dashboards and metric tags
 * ({@link #code()}), shared by the decoders and, later, by the sources.
 */
public enum RejectReason {
  /** Text that is not valid JSON where JSON was expected. */
  INVALID_JSON("invalid-json"),
  /**
   * A JSON value without the fields every CloudTrail event has (eventID, eventTime, eventName,
   * eventSource).
   */
  NOT_AN_EVENT("not-an-event"),
  /** An eventTime that is not an ISO-8601 date-time. */
  BAD_EVENT_TIME("bad-event-time"),
  /** A flow log line whose field count differs from its header. */
  WRONG_FIELD_COUNT("wrong-field-count"),
  /**
   * An object that is no log Vigil reads (a README or LICENSE in a scanned folder): neither JSON
   * nor a flow log, judged by its first line. Refused once, as a whole; the rest is not read as
   * records.
   */
  UNRECOGNISED_FORMAT("unrecognised-format"),
  /** A numeric flow log field that is not a number in range. */
  BAD_NUMBER("bad-number"),
  /** A single record over {@link DecodeLimits#maxRecordBytes()}. */
  RECORD_TOO_LARGE("record-too-large"),
  /** A record nested deeper than the parser allows; skipped alone. */
  RECORD_TOO_DEEP("record-too-deep"),
  /** A record with a string longer than the parser allows; skipped alone. */
  STRING_TOO_LONG("string-too-long"),
  /** A record with a number longer than the parser allows; skipped alone. */
  NUMBER_TOO_LONG("number-too-long"),
  /** A record with a field name longer than the parser allows; skipped alone. */
  NAME_TOO_LONG("name-too-long"),
  /**
   * Input that could not be read as records and had no record boundary after it (an unterminated
   * string or array running to the end, content after the end of the object): a gap, with the bytes
   * and the records seen in it counted; detection raises an alert for it.
   */
  UNREADABLE_GAP("unreadable-gap"),
  /**
   * An object that decompresses past {@link DecodeLimits#maxObjectBytes()}; the rest is not read.
   */
  OBJECT_TOO_LARGE("object-too-large"),
  /** A gzip stream that ends before its last member does. */
  TRUNCATED_GZIP("truncated-gzip"),
  /** A gzip stream whose compressed data, checksum or header is corrupt. */
  CORRUPT_GZIP("corrupt-gzip"),
  /**
   * An S3 object announced (or listed) that no longer exists when read (NoSuchKey): deleted or
   * expired in between. Its records are lost to Vigil; the dead letter says which object.
   */
  OBJECT_MISSING("object-missing");

  private final String code;

  RejectReason(String code) {
    this.code = code;
  }

  /**
   * The reason for a parser limit, from the words of Jackson's {@code StreamConstraintsException}.
   */
  static RejectReason ofParserLimit(String message) {
    String m = message == null ? "" : message;
    if (m.startsWith("Document nesting depth")) {
      return RECORD_TOO_DEEP;
    }
    if (m.startsWith("String value length")) {
      return STRING_TOO_LONG;
    }
    if (m.startsWith("Number value length")) {
      return NUMBER_TOO_LONG;
    }
    if (m.startsWith("Name length")) {
      return NAME_TOO_LONG;
    }
    return RECORD_TOO_LARGE;
  }

  /** The code written to {@code Rejected.reason}, e.g. {@code invalid-json}. */
  public String code() {
    return code;
  }
}
