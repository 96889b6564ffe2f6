package io.vigil.ingest.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.IngestSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link LogDecoder} for AWS log objects: CloudTrail ({@code {"Records":[...]}} files, bare
 * arrays, JSON lines, single events, CloudWatch Logs subscription payloads; digest files skipped)
 * and VPC flow log text (with a header, or headerless single lines), gzip (one or more members) or
 * not. Everything is recognised by content, never by name, and streamed a record at a time.
 *
 * <p>Positions: {@code #record=N} (0-based index inside {@code Records} or an array), {@code
 * #logEvent=N} (0-based index inside a CloudWatch Logs payload), {@code #line=N} (1-based, for flow
 * logs and JSON lines). Bad content becomes one {@code Rejected} record per bad record, and no
 * record hides another: after a record the parser fails on (invalid JSON, too deep, a string or
 * number too long), the decoder finds where that record ends ({@link RecordSkipper}) and resumes
 * with the next one, in {@code Records} and bare arrays, JSON lines, concatenated events and
 * CloudWatch Logs payloads. Where no record boundary can be found (an unterminated string or array
 * running to the end, content after the object, a record too long to revisit, a truncated or
 * corrupt gzip, an object over {@code maxObjectBytes}), the rest is one rejection marked as a gap
 * ({@link io.vigil.schemas.DeadLetters#GAP}, with the unread bytes and records), which detection
 * turns into an alert; every record before it has been passed on. Only failures of the caller's
 * stream throw.
 *
 * <p>Thread-safe: each {@link #decode} call has its own state.
 */
public final class AwsLogDecoder implements LogDecoder {

  /** The {@code component} written on rejections. */
  public static final String COMPONENT = "ingest";

  private static final int HEAD_BYTES = 64 * 1024;

  // after a record is skipped, a fresh parser starts with these, then the rest of the array
  private static final byte[] RESUME_RECORDS = ascii("{\"Records\":[");
  private static final byte[] RESUME_ARRAY = ascii("[");
  private static final byte[] RESUME_LOG_EVENTS = ascii("{\"logEvents\":[");
  // the key each record has, counted in a gap
  private static final byte[] EVENT_ID_KEY = ascii("\"eventID\"");
  private static final byte[] MESSAGE_KEY = ascii("\"message\"");

  private final DecodeLimits limits;
  private final Clock clock;
  private final JsonFactory json;
  private final boolean recordsFromBytes;
  // For the tests: how many records were taken from their bytes.
  private final LongAdder takenFromBytes = new LongAdder();

  /** A decoder with the default limits and the system clock. */
  public AwsLogDecoder() {
    this(DecodeLimits.DEFAULTS, Clock.systemUTC());
  }

  public AwsLogDecoder(DecodeLimits limits) {
    this(limits, Clock.systemUTC());
  }

  public AwsLogDecoder(DecodeLimits limits, Clock clock) {
    this(limits, clock, true);
  }

  /**
   * With {@code recordsFromBytes} false, every CloudTrail record is copied token by token, as
   * before compact records were taken from their bytes (for the tests that compare the two).
   */
  AwsLogDecoder(DecodeLimits limits, Clock clock, boolean recordsFromBytes) {
    this.limits = limits;
    this.clock = clock;
    this.recordsFromBytes = recordsFromBytes;
    this.json =
        JsonFactory.builder()
            // one string longer than a record is bigger than the record: bounded memory per token
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxRecordBytes()))
                    .build())
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
  }

  /** CloudTrail records whose text was taken from their bytes by this decoder, so far. */
  long takenFromBytes() {
    return takenFromBytes.sum();
  }

  @Override
  public DecodeSummary decode(InputStream in, SourceRef source, DecodeListener listener)
      throws IOException {
    SourceInput raw = new SourceInput(in);
    Run run = new Run(source, listener);
    try {
      return run.decode(raw);
    } catch (SourceReadException e) {
      throw e.original();
    }
  }

  /** The state of one decode call. */
  private final class Run {

    private final SourceRef source;
    private final DecodeListener listener;
    private final Instant now = clock.instant();
    private final CloudTrailEventReader reader =
        new CloudTrailEventReader(limits.maxRecordBytes(), json, recordsFromBytes);
    private LogFormat format = LogFormat.NONE;
    private long records;
    private long rejected;
    private SourceInput input;

    Run(SourceRef source, DecodeListener listener) {
      this.source = source;
      this.listener = listener;
    }

    DecodeSummary decode(SourceInput raw) throws IOException {
      input = raw;
      PushbackInputStream peek = new PushbackInputStream(raw, 2);
      byte[] magic = new byte[2];
      int got = readFully(peek, magic, 0, 2);
      peek.unread(magic, 0, got);
      boolean gzip = got == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
      GzipMembers gunzip = gzip ? new GzipMembers(peek) : null;
      ObjectSizeLimit limited = new ObjectSizeLimit(gzip ? gunzip : peek, limits.maxObjectBytes());
      // Decompression runs ahead of the parser on a second thread once an object proves large; the
      // size limit is checked on that thread, so a failure stops it where it happened.
      InflateAhead ahead = gzip ? new InflateAhead(limited) : null;
      InputStream plain = gzip ? ahead : limited;
      try {
        byte[] head = new byte[HEAD_BYTES];
        int headLen = 0;
        InputStream rest = plain;
        try {
          while (headLen < head.length) {
            int n = plain.read(head, headLen, head.length - headLen);
            if (n < 0) {
              break;
            }
            headLen += n;
          }
        } catch (BadContentException e) {
          // decode what arrived; the failure is reported where the decoding reaches it
          rest = failing(e);
        }
        InputStream body =
            new SequenceInputStream(new ByteArrayInputStream(head, 0, headLen), rest);
        decodeBody(head, headLen, body);
      } finally {
        if (gzip) {
          try {
            ahead.close();
          } finally {
            gunzip.close();
          }
        }
      }
      takenFromBytes.add(reader.takenFromBytes());
      return new DecodeSummary(format, records, rejected, raw.count(), limited.count());
    }

    private void decodeBody(byte[] head, int headLen, InputStream body) throws IOException {
      int i = 0;
      if (headLen >= 3
          && (head[0] & 0xff) == 0xef
          && (head[1] & 0xff) == 0xbb
          && (head[2] & 0xff) == 0xbf) {
        i = 3;
        body.skipNBytes(3);
      }
      while (i < headLen && isSpace(head[i])) {
        i++;
      }
      if (i == headLen) {
        if (headLen < HEAD_BYTES) {
          // empty (or blank) object: nothing to decode, but a failure still counts
          drainForFailure(body);
          return;
        }
        decodeFlowLog(body);
        return;
      }
      switch (head[i]) {
        case '[' -> {
          format = LogFormat.CLOUDTRAIL_ARRAY;
          decodeJsonStream(body);
        }
        case '{' -> {
          format = classifyObject(head, i, headLen);
          switch (format) {
            case CLOUDTRAIL_RECORDS -> decodeJsonStream(body);
            case CLOUDWATCH_LOGS -> decodeCloudWatch(body);
            case CLOUDTRAIL_DIGEST -> {
              // a digest lists log files and their hashes: nothing to detect on
            }
            default -> {
              if (multiLineFirstObject) {
                decodeJsonStream(body);
              } else {
                decodeJsonLines(body);
              }
            }
          }
        }
        default -> decodeFlowLog(body);
      }
    }

    private boolean multiLineFirstObject;

    /** Decides what a leading JSON object is from its first top-level field names. */
    private LogFormat classifyObject(byte[] head, int start, int headLen) {
      try (JsonParser p = json.createParser(head, 0, headLen)) {
        p.nextToken();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (name.equals("Records")) {
            return LogFormat.CLOUDTRAIL_RECORDS;
          }
          if (name.equals("messageType") || name.equals("logEvents")) {
            return LogFormat.CLOUDWATCH_LOGS;
          }
          if (name.startsWith("digest")) {
            return LogFormat.CLOUDTRAIL_DIGEST;
          }
          p.nextToken();
          p.skipChildren();
        }
        if (t == JsonToken.END_OBJECT) {
          int end = (int) p.currentLocation().getByteOffset();
          multiLineFirstObject = containsNewline(head, start, end);
        }
      } catch (JsonEOFException e) {
        // the head ends inside a large first object: pretty-printed when it already spans lines
        multiLineFirstObject = containsNewline(head, start, headLen);
      } catch (IOException e) {
        // invalid JSON: read line by line, so that the lines after a bad one still decode
        multiLineFirstObject = false;
      }
      return LogFormat.CLOUDTRAIL_JSON_LINES;
    }

    /** {@code Records} files, bare arrays and concatenated (pretty-printed) events. */
    private void decodeJsonStream(InputStream body) throws IOException {
      boolean values = format == LogFormat.CLOUDTRAIL_JSON_LINES;
      byte[] resume =
          switch (format) {
            case CLOUDTRAIL_RECORDS -> RESUME_RECORDS;
            case CLOUDTRAIL_ARRAY -> RESUME_ARRAY;
            default -> new byte[0];
          };
      JsonStream s;
      try {
        s = new JsonStream(body, values ? "line" : "record", values, EVENT_ID_KEY);
      } catch (BadContentException bad) {
        // An object so short that the parser's first read-ahead reached its decompression failure.
        contentGap(bad, source.at(values ? "line" : "record", 1));
        return;
      }
      try {
        while (true) {
          try {
            if (values) {
              jsonValues(s);
            } else {
              jsonRecords(s);
            }
            return;
          } catch (IOException e) {
            if (!s.resync(e, resume)) {
              return;
            }
          }
        }
      } finally {
        s.parser.close();
      }
    }

    /** A {@code Records} object or a bare array. */
    private void jsonRecords(JsonStream s) throws IOException {
      JsonParser p = s.parser;
      p.nextToken();
      if (format == LogFormat.CLOUDTRAIL_RECORDS) {
        // the sniffer saw {"Records": first; other top-level fields are skipped
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          boolean records = p.currentName().equals("Records");
          if (p.nextToken() == JsonToken.START_ARRAY && records) {
            elements(s, p, (q, position) -> element(q, position, s));
          } else {
            p.skipChildren();
          }
        }
      } else {
        elements(s, p, (q, position) -> element(q, position, s));
      }
      if (p.nextToken() != null) {
        s.gap(RejectReason.INVALID_JSON, "content after the end of the top-level JSON value");
      }
    }

    /** Concatenated events (JSON lines read as a stream, pretty-printed events). */
    private void jsonValues(JsonStream s) throws IOException {
      JsonParser p = s.parser;
      while (true) {
        s.beginRecord();
        if (p.nextToken() == null) {
          break;
        }
        element(p, source.at("line", s.lineBase + p.currentTokenLocation().getLineNr()), s);
      }
      s.endRecords();
    }

    /** What to do with one element of an array. */
    private interface ElementHandler {
      void element(JsonParser p, String position) throws IOException;
    }

    /** The elements of the array the parser is at, each noted for a resynchronisation. */
    private void elements(JsonStream s, JsonParser p, ElementHandler handler) throws IOException {
      while (true) {
        s.beginRecord();
        if (p.nextToken() == JsonToken.END_ARRAY) {
          break;
        }
        handler.element(p, source.at(s.unit, s.index));
        s.index++;
      }
      s.endRecords();
    }

    /**
     * A JSON stream being decoded: its parser, and what is needed to skip a record the parser fails
     * on (too deep, a string too long, invalid JSON) and go on with a fresh parser after it.
     */
    private final class JsonStream implements CloudTrailEventReader.RecordBytes {

      final RecordTape tape;
      final String unit;
      final boolean topLevel;
      final byte[] recordKey;
      JsonParser parser;
      long base; // tape offset of the parser's offset 0
      long lineBase; // lines before the parser's line 1
      long index; // index of the current array element
      long mark = -1; // tape offset where the current record starts; -1 between records
      long markLine;

      JsonStream(InputStream body, String unit, boolean topLevel, byte[] recordKey)
          throws IOException {
        // a record longer than this cannot be revisited: the decoder reports the rest as a gap
        this.tape = new RecordTape(body, 2 * limits.maxRecordBytes() + 64 * 1024);
        this.unit = unit;
        this.topLevel = topLevel;
        this.recordKey = recordKey;
        this.parser = json.createParser(tape);
        reader.newStream();
      }

      @Override
      public byte[] array(long from, long to) {
        return tape.held(base + from, base + to);
      }

      @Override
      public int index(long at) {
        return tape.indexOf(base + at);
      }

      void beginRecord() {
        JsonLocation at = parser.currentLocation();
        mark = base + at.getByteOffset();
        markLine = lineBase + at.getLineNr();
        tape.mark(mark);
      }

      void endRecords() {
        mark = -1;
      }

      String position() {
        return topLevel ? source.at("line", markLine) : source.at(unit, index);
      }

      /**
       * After the parser failed: rejects the failing record alone and resumes after it (true), or,
       * where no record boundary can be found, reports the rest as a gap (false).
       */
      boolean resync(IOException e, byte[] resume) throws IOException {
        if (e instanceof SourceReadException) {
          throw e;
        }
        if (e instanceof BadContentException bad) {
          contentGap(bad, position());
          return false;
        }
        RejectReason reason = reasonOf(e);
        String cause =
            e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
        if (mark < 0 || !tape.rewind(mark)) {
          gap(reason, cause);
          return false;
        }
        RecordSkipper skipper = new RecordSkipper(topLevel, recordKey);
        RecordSkipper.End end;
        try {
          end = skipper.skip(tape);
        } catch (BadContentException bad) {
          contentGap(bad, position());
          return false;
        }
        String position =
            topLevel
                ? source.at("line", markLine + skipper.leadingNewlines())
                : source.at(unit, index);
        boolean lost = end == RecordSkipper.End.EOF && (!topLevel || skipper.records() > 1);
        if (lost || !skipper.sawValue() && tape.position() == mark) {
          byte[] raw = skipper.head();
          reportGap(reason, cause, position, raw, skipper.skipped(), skipper.records());
          return false;
        }
        if (skipper.sawValue()) {
          byte[] raw = skipper.head();
          reject(
              reason,
              limitMessage(reason, cause) + "; the record was skipped, the next one is read",
              position,
              raw,
              raw.length,
              skipper.valueBytes(),
              Map.of());
          index++;
        }
        if (end == RecordSkipper.End.EOF) {
          return false;
        }
        parser.close();
        // before the new parser exists: creating it already reads ahead
        base = tape.position() - resume.length;
        try {
          parser =
              json.createParser(new SequenceInputStream(new ByteArrayInputStream(resume), tape));
        } catch (BadContentException bad) {
          // The read-ahead reached a decompression failure (a CRC that does not match).
          contentGap(bad, position);
          return false;
        }
        lineBase = markLine - 1 + skipper.newlines();
        mark = -1;
        return true;
      }

      /** Reports the rest, from the start of the current record or the parser's stop, as a gap. */
      void gap(RejectReason reason, String cause) throws IOException {
        long from = mark >= 0 ? mark : base + parser.currentTokenLocation().getByteOffset();
        RecordSkipper counter = new RecordSkipper(topLevel, recordKey);
        ByteArrayOutputStream buffered = new ByteArrayOutputStream();
        parser.releaseBuffered(buffered);
        counter.drain(new ByteArrayInputStream(buffered.toByteArray()));
        long unread;
        try {
          counter.drain(tape);
          unread = Math.max(0, tape.position() - from);
        } catch (BadContentException bad) {
          unread = -1;
        }
        reportGap(reason, cause, position(), counter.head(), unread, counter.records());
      }
    }

    /** A gap: bytes that could not be read as records, reported so that it raises an alert. */
    private void reportGap(
        RejectReason cause, String message, String position, byte[] raw, long bytes, long seen)
        throws IOException {
      reject(
          RejectReason.UNREADABLE_GAP,
          limitMessage(cause, message)
              + "; no record boundary was found after it: "
              + (bytes >= 0 ? bytes + " bytes" : "the rest")
              + " (about "
              + seen
              + " records) could not be read",
          position,
          raw,
          raw.length,
          bytes,
          gapAttributes(cause, bytes, seen));
    }

    /**
     * A failure of decompression or of the object size limit: nothing after it can be read. The
     * compressed bytes left in the source are counted.
     */
    private void contentGap(BadContentException bad, String position) throws IOException {
      long before = input.count();
      byte[] chunk = new byte[8192];
      while (input.read(chunk) >= 0) {
        // counted by the source input
      }
      long unread = input.count() - before;
      reject(
          bad.reason(),
          bad.getMessage() + "; " + unread + " compressed bytes after it were not read",
          position,
          new byte[0],
          0,
          -1,
          gapAttributes(bad.reason(), unread, -1));
    }

    private Map<String, String> gapAttributes(RejectReason cause, long bytes, long records) {
      return Map.of(
          DeadLetters.GAP,
          "true",
          DeadLetters.GAP_CAUSE,
          cause.code(),
          DeadLetters.UNREAD_BYTES,
          Long.toString(bytes),
          DeadLetters.UNREAD_RECORDS,
          records >= 0 ? Long.toString(records) : "unknown");
    }

    /** The bytes of a parser over {@code len} bytes of {@code b} from {@code start}. */
    private static CloudTrailEventReader.RecordBytes lineBytes(byte[] b, int start, int len) {
      return new CloudTrailEventReader.RecordBytes() {
        @Override
        public byte[] array(long from, long to) {
          return from >= 0 && to <= len ? b : null;
        }

        @Override
        public int index(long at) {
          return start + (int) at;
        }
      };
    }

    private void element(JsonParser p, String position, CloudTrailEventReader.RecordBytes bytes)
        throws IOException {
      CloudTrailEventReader.Outcome outcome = reader.read(p, bytes);
      accept(outcome, position);
    }

    private void accept(CloudTrailEventReader.Outcome outcome, String position) {
      switch (outcome) {
        case EVENT -> {
          CloudTrailEvent event = reader.event();
          event.setIngest(new IngestSource(position, now));
          records++;
          listener.cloudTrail(event, position);
        }
        case NOT_AN_EVENT -> rejectElement(RejectReason.NOT_AN_EVENT, position);
        case BAD_EVENT_TIME -> rejectElement(RejectReason.BAD_EVENT_TIME, position);
        case TOO_LARGE -> rejectElement(RejectReason.RECORD_TOO_LARGE, position);
        default -> throw new IllegalStateException("unknown outcome " + outcome);
      }
    }

    private void rejectElement(RejectReason reason, String position) {
      byte[] bytes = bounded(reader.json());
      reject(reason, reader.message(), position, bytes, bytes.length, reader.originalSize());
    }

    /** What to do with each non-blank line of a text format. */
    private interface LineHandler {
      void line(byte[] b, int start, int len, String position) throws IOException;
    }

    /**
     * The line loop of the text formats: positions, lines over the record limit and unreadable
     * input are rejected here; blank lines are skipped; every other line goes to {@code handler}.
     */
    private void forEachLine(InputStream body, LineHandler handler) throws IOException {
      LineReader lines = new LineReader(body, limits.maxRecordBytes());
      while (true) {
        try {
          if (!lines.next()) {
            return;
          }
        } catch (BadContentException e) {
          contentGap(e, source.at("line", lines.lineNumber() + 1));
          return;
        }
        String position = source.at("line", lines.lineNumber());
        byte[] b = lines.buffer();
        int start = lines.start();
        int len = lines.length();
        if (lines.tooLongSize() >= 0) {
          reject(
              RejectReason.RECORD_TOO_LARGE,
              "line of "
                  + lines.tooLongSize()
                  + " bytes is over the limit of "
                  + limits.maxRecordBytes()
                  + " bytes (ingest.max.record.bytes)",
              position,
              slice(b, start, len),
              len,
              lines.tooLongSize());
          continue;
        }
        if (!isBlank(b, start, len)) {
          handler.line(b, start, len, position);
        }
      }
    }

    /** JSON lines: one event per line; a bad line is rejected and the next line decodes. */
    private void decodeJsonLines(InputStream body) throws IOException {
      forEachLine(
          body,
          (b, start, len, position) -> {
            CloudTrailEventReader.Outcome outcome;
            try (JsonParser p = json.createParser(b, start, len)) {
              p.nextToken();
              outcome = reader.read(p, lineBytes(b, start, len));
              if (p.nextToken() != null) {
                reject(
                    RejectReason.INVALID_JSON,
                    "content after the JSON value on the line",
                    position,
                    slice(b, start, len),
                    len,
                    len);
                return;
              }
            } catch (JsonProcessingException e) {
              reject(
                  reasonOf(e),
                  "invalid JSON: " + e.getOriginalMessage(),
                  position,
                  slice(b, start, len),
                  len,
                  len);
              return;
            }
            accept(outcome, position);
          });
    }

    /**
     * CloudWatch Logs subscription payloads (one, or several concatenated as Firehose writes them):
     * each logEvents[].message is an event or a flow line, its own record.
     */
    private void decodeCloudWatch(InputStream body) throws IOException {
      JsonStream s = new JsonStream(body, "logEvent", false, MESSAGE_KEY);
      FlowLogParser[] flows = {null}; // the default format, made at the first flow line
      try {
        while (true) {
          try {
            cloudWatchPayloads(s, flows);
            return;
          } catch (IOException e) {
            if (!s.resync(e, RESUME_LOG_EVENTS)) {
              return;
            }
          }
        }
      } finally {
        s.parser.close();
      }
    }

    private void cloudWatchPayloads(JsonStream s, FlowLogParser[] flows) throws IOException {
      JsonParser p = s.parser;
      JsonToken root = p.nextToken();
      while (root == JsonToken.START_OBJECT) {
        boolean control = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken t = p.nextToken();
          if (name.equals("messageType")) {
            control = "CONTROL_MESSAGE".equals(p.getValueAsString());
          } else if (name.equals("logEvents") && t == JsonToken.START_ARRAY && !control) {
            // logEvents before messageType (never seen from AWS) are taken as data
            elements(s, p, (q, position) -> logEvent(q, position, flows));
          } else {
            p.skipChildren();
          }
        }
        root = p.nextToken();
      }
      if (root != null) {
        s.gap(RejectReason.INVALID_JSON, "content after the end of the payload");
      }
    }

    private void logEvent(JsonParser p, String position, FlowLogParser[] flows) throws IOException {
      String message = logEventMessage(p);
      if (message == null) {
        reject(
            RejectReason.NOT_AN_EVENT,
            "logEvent has no message string",
            position,
            new byte[0],
            0,
            -1);
      } else if (startsWithBrace(message)) {
        embeddedEvent(message, position);
      } else {
        if (flows[0] == null) {
          flows[0] = FlowLogParser.defaultFormat();
        }
        flowLine(flows[0], message.strip().getBytes(StandardCharsets.UTF_8), position);
      }
    }

    private String logEventMessage(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        return null;
      }
      String message = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("message") && t == JsonToken.VALUE_STRING) {
          message = p.getText();
        } else {
          p.skipChildren();
        }
      }
      return message;
    }

    private void embeddedEvent(String message, String position) throws IOException {
      CloudTrailEventReader.Outcome outcome;
      try (JsonParser p = json.createParser(message)) {
        p.nextToken();
        outcome = reader.read(p);
        if (p.nextToken() != null) {
          byte[] b = bounded(message);
          reject(
              RejectReason.INVALID_JSON,
              "content after the JSON value in the message",
              position,
              b,
              b.length,
              message.length());
          return;
        }
      } catch (JsonProcessingException e) {
        byte[] b = bounded(message);
        reject(
            reasonOf(e),
            "invalid JSON: " + e.getOriginalMessage(),
            position,
            b,
            b.length,
            message.length());
        return;
      }
      accept(outcome, position);
    }

    /**
     * VPC flow log text: a header line naming the fields, or headerless lines in the default
     * format. Text whose first line is neither is no log at all (a LICENSE in a scanned folder): it
     * is refused once, as a whole, rather than a dead letter for every line. Unless lines after it
     * look like JSON objects: then a line was put in front of events to hide them, and the refusal
     * is a gap, with the lines and bytes it hid, so that it raises an alert.
     */
    private void decodeFlowLog(InputStream body) throws IOException {
      format = LogFormat.VPC_FLOW_LOG;
      FlowLogParser[] flows = {null}; // set by the first line: its header, or the default format
      Unrecognised[] unrecognised = {null};
      forEachLine(
          body,
          (b, start, len, position) -> {
            if (unrecognised[0] != null) {
              unrecognised[0].after(b, start, len);
              return;
            }
            if (flows[0] == null) {
              if (FlowLogParser.isHeader(b, start, len)) {
                flows[0] = new FlowLogParser(new String(b, start, len, StandardCharsets.US_ASCII));
                return;
              }
              FlowLogParser headerless = FlowLogParser.defaultFormat();
              if (!flowShaped(headerless.parse(b, start, len), b, start, len)) {
                unrecognised[0] =
                    new Unrecognised(position, slice(b, start, len), headerless.message());
                return;
              }
              flows[0] = headerless;
            }
            flowLine(flows[0], b, start, len, position);
          });
      if (unrecognised[0] != null) {
        refuse(unrecognised[0]);
      }
    }

    // Text that is no log, from its first line on; counts the lines after it that look like JSON.
    private static final class Unrecognised {
      final String position;
      final byte[] firstLine;
      final String why;
      long jsonLines;
      long jsonBytes;

      Unrecognised(String position, byte[] firstLine, String why) {
        this.position = position;
        this.firstLine = firstLine;
        this.why = why;
      }

      void after(byte[] b, int start, int len) {
        int i = start;
        while (i < start + len && isSpace(b[i])) {
          i++;
        }
        if (i < start + len && b[i] == '{') {
          jsonLines++;
          jsonBytes += len;
        }
      }
    }

    private void refuse(Unrecognised text) throws IOException {
      format = LogFormat.NONE;
      String first =
          "the first line is neither JSON, a VPC flow log header nor a flow record in the default"
              + " format ("
              + text.why
              + ")";
      if (text.jsonLines == 0) {
        reject(
            RejectReason.UNRECOGNISED_FORMAT,
            "not a log Vigil reads: " + first + "; the rest was not read",
            text.position,
            text.firstLine,
            text.firstLine.length,
            text.firstLine.length);
        return;
      }
      reject(
          RejectReason.UNREADABLE_GAP,
          first
              + ", yet "
              + text.jsonLines
              + " lines after it are JSON objects: "
              + text.jsonBytes
              + " bytes (about "
              + text.jsonLines
              + " records) could not be read",
          text.position,
          text.firstLine,
          text.firstLine.length,
          text.jsonBytes,
          gapAttributes(RejectReason.UNRECOGNISED_FORMAT, text.jsonBytes, text.jsonLines));
    }

    // A first line in the default flow format: a record, or one with a bad field that still has
    // the format's field count and starts with a version number (a damaged flow line, rejected on
    // its own, not a reason to refuse the lines after it).
    private static boolean flowShaped(FlowLogParser.Outcome outcome, byte[] b, int start, int len) {
      if (outcome == FlowLogParser.Outcome.RECORD) {
        return true;
      }
      if (outcome != FlowLogParser.Outcome.BAD_NUMBER) {
        return false;
      }
      int i = start;
      int end = start + len;
      while (i < end && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
      int digits = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
        digits++;
      }
      return digits > 0 && (i == end || b[i] == ' ' || b[i] == '\t');
    }

    private void flowLine(FlowLogParser flows, byte[] line, String position) {
      flowLine(flows, line, 0, line.length, position);
    }

    private void flowLine(FlowLogParser flows, byte[] b, int start, int len, String position) {
      switch (flows.parse(b, start, len)) {
        case RECORD -> {
          FlowRecord record = flows.record();
          records++;
          listener.flow(record, position);
        }
        case WRONG_FIELD_COUNT ->
            reject(
                RejectReason.WRONG_FIELD_COUNT,
                flows.message(),
                position,
                slice(b, start, len),
                len,
                len);
        case BAD_NUMBER ->
            reject(
                RejectReason.BAD_NUMBER, flows.message(), position, slice(b, start, len), len, len);
        default -> throw new IllegalStateException("unknown flow outcome");
      }
    }

    /** For an empty object: reports a decompression failure or the size limit, if any. */
    private void drainForFailure(InputStream body) throws IOException {
      try {
        body.read(new byte[1]);
      } catch (BadContentException e) {
        contentGap(e, source.at("line", 1));
      }
    }

    private void reject(
        RejectReason reason, String message, String position, byte[] raw, int len, long rawSize) {
      reject(reason, message, position, raw, len, rawSize, Map.of());
    }

    private void reject(
        RejectReason reason,
        String message,
        String position,
        byte[] raw,
        int len,
        long rawSize,
        Map<String, String> attributes) {
      Map<String, String> all = new java.util.HashMap<>(attributes);
      all.put("format", format.name());
      rejected++;
      listener.rejected(
          DeadLetters.rejectedInput(
              reason.code(),
              message,
              source.type(),
              position,
              raw,
              0,
              len,
              rawSize,
              COMPONENT,
              all,
              clock.instant()));
    }
  }

  private static RejectReason reasonOf(IOException e) {
    if (e instanceof BadContentException bad) {
      return bad.reason();
    }
    if (e instanceof StreamConstraintsException c) {
      return RejectReason.ofParserLimit(c.getOriginalMessage());
    }
    return RejectReason.INVALID_JSON;
  }

  /** The message of a record rejected for {@code reason}, the parser's words in it. */
  private static String limitMessage(RejectReason reason, String cause) {
    return switch (reason) {
      case RECORD_TOO_DEEP, STRING_TOO_LONG, NUMBER_TOO_LONG, NAME_TOO_LONG ->
          "record over a parser limit: " + cause;
      case INVALID_JSON -> "invalid JSON: " + cause;
      default -> cause;
    };
  }

  private static InputStream failing(BadContentException e) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        throw e;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        throw e;
      }
    };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(b, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  private static boolean isBlank(byte[] b, int start, int len) {
    for (int i = start; i < start + len; i++) {
      if (!isSpace(b[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsNewline(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithBrace(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return c == '{';
      }
    }
    return false;
  }

  private static byte[] slice(byte[] b, int start, int len) {
    byte[] copy = new byte[Math.min(len, DeadLetters.MAX_RAW_BYTES)];
    System.arraycopy(b, start, copy, 0, copy.length);
    return copy;
  }

  /** The UTF-8 bytes of a string, at most {@link DeadLetters#MAX_RAW_BYTES} of them. */
  private static byte[] bounded(String s) {
    String head =
        s.length() > DeadLetters.MAX_RAW_BYTES ? s.substring(0, DeadLetters.MAX_RAW_BYTES) : s;
    byte[] b = head.getBytes(StandardCharsets.UTF_8);
    return b.length <= DeadLetters.MAX_RAW_BYTES
        ? b
        : java.util.Arrays.copyOf(b, DeadLetters.MAX_RAW_BYTES);
  }
}
