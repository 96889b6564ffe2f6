package io.vigil.ingest.decode;

import io.vigil.schemas.FlowRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses VPC flow log lines in the field order a header names (any subset and order of the version
 * 2 to 8 fields; unknown names are kept in {@code extras}) into {@link FlowRecord}s, straight from
 * the bytes: {@code -} becomes null, numbers are parsed without intermediate strings.
 *
 * <p>{@code record_ref} is a 128-bit hash ({@link RecordRefHash}) of the line, seeded with the
 * header's field list, in hex. It depends only on content, so a redelivered object, the same object
 * under another key, or the same record arriving through Kinesis gives the same reference, and
 * downstream dedup works across deliveries; the line carries the interface id, the addresses, ports
 * and capture window, so distinct flows do not collide. Reused for every line of a decode; not
 * thread-safe.
 */
final class FlowLogParser {

  enum Outcome {
    RECORD,
    WRONG_FIELD_COUNT,
    BAD_NUMBER
  }

  private final String[] names;
  private final FlowField[] fields;
  private final long headerSeed;

  /**
   * Per column: the bytes and string of the last value, reused while a value repeats (ids,
   * actions).
   */
  private final byte[][] lastBytes;

  private final String[] lastText;
  private final boolean[] repeats;
  private final int[] starts;
  private final int[] ends;
  private FlowRecord record;
  private String message;

  FlowLogParser(String header) {
    String[] tokens = header.trim().split("[ \t]+");
    names = tokens;
    fields = new FlowField[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      fields[i] = FlowField.byHeaderName(tokens[i]);
    }
    headerSeed = RecordRefHash.seed(String.join(" ", tokens).getBytes(StandardCharsets.UTF_8));
    lastBytes = new byte[tokens.length][];
    lastText = new String[tokens.length];
    repeats = new boolean[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      // addresses change from line to line: caching them would only cost
      repeats[i] = !tokens[i].contains("addr");
    }
    starts = new int[tokens.length];
    ends = new int[tokens.length];
  }

  /** A parser for headerless lines (CloudWatch Logs, Kinesis): the default version 2 format. */
  static FlowLogParser defaultFormat() {
    return new FlowLogParser(FlowField.DEFAULT_HEADER);
  }

  /**
   * Whether a first line is a flow log header: space-separated lower-case names, at least one of
   * them a known field. Data lines never qualify (addresses, upper-case actions, digits first).
   */
  static boolean isHeader(byte[] b, int off, int len) {
    boolean known = false;
    int i = off;
    int end = off + len;
    while (i < end) {
      while (i < end && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
      int start = i;
      while (i < end && b[i] != ' ' && b[i] != '\t') {
        byte c = b[i];
        boolean letter = c >= 'a' && c <= 'z';
        if (!(letter || (i > start && (c == '-' || c == '_' || c >= '0' && c <= '9')))) {
          return false;
        }
        i++;
      }
      if (i > start
          && FlowField.byHeaderName(new String(b, start, i - start, StandardCharsets.US_ASCII))
              != null) {
        known = true;
      }
    }
    return known;
  }

  FlowRecord record() {
    return record;
  }

  String message() {
    return message;
  }

  Outcome parse(byte[] b, int off, int len) {
    record = null;
    int count = 0;
    int i = off;
    int end = off + len;
    while (i < end) {
      while (i < end && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
      if (i == end) {
        break;
      }
      int start = i;
      while (i < end && b[i] != ' ' && b[i] != '\t') {
        i++;
      }
      if (count < starts.length) {
        starts[count] = start;
        ends[count] = i;
      }
      count++;
    }
    if (count != fields.length) {
      message = "line has " + count + " fields, the header names " + fields.length;
      return Outcome.WRONG_FIELD_COUNT;
    }
    FlowRecord r = new FlowRecord();
    Map<String, String> extras = null;
    for (int c = 0; c < count; c++) {
      int s = starts[c];
      int n = ends[c] - s;
      if (n == 1 && b[s] == '-') {
        continue;
      }
      FlowField f = fields[c];
      if (f == null) {
        if (extras == null) {
          extras = new HashMap<>();
        }
        extras.put(names[c], new String(b, s, n, StandardCharsets.UTF_8));
        continue;
      }
      switch (f.kind) {
        case STRING -> r.put(f.position, text(c, b, s, n));
        case INT, LONG -> {
          long v = parseLong(b, s, n);
          if (v < 0 || f.kind == FlowField.Kind.INT && v > Integer.MAX_VALUE) {
            message =
                "field "
                    + f.headerName
                    + " is '"
                    + CloudTrailEventReader.shorten(new String(b, s, n, StandardCharsets.UTF_8))
                    + "', not a non-negative "
                    + (f.kind == FlowField.Kind.INT ? "int" : "long");
            return Outcome.BAD_NUMBER;
          }
          r.put(f.position, f.kind == FlowField.Kind.INT ? (Object) (int) v : (Object) v);
        }
        default -> throw new IllegalStateException("unknown kind " + f.kind);
      }
    }
    String status = r.getLogStatus();
    r.setNoData("NODATA".equals(status));
    r.setSkipData("SKIPDATA".equals(status));
    r.setExtras(extras == null ? Collections.emptyMap() : extras);
    r.setRecordRef(reference(b, off, len));
    record = r;
    return Outcome.RECORD;
  }

  /** A non-negative decimal, or -1 when the text is not one (or overflows a long). */
  private static long parseLong(byte[] b, int s, int n) {
    if (n == 0 || n > 18) {
      return n > 18 ? parseLongSlow(b, s, n) : -1;
    }
    long v = 0;
    for (int i = s; i < s + n; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static long parseLongSlow(byte[] b, int s, int n) {
    try {
      return Long.parseLong(new String(b, s, n, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private String reference(byte[] b, int off, int len) {
    return RecordRefHash.hex(headerSeed, b, off, len);
  }

  private String text(int column, byte[] b, int s, int n) {
    if (!repeats[column]) {
      return new String(b, s, n, StandardCharsets.UTF_8);
    }
    byte[] last = lastBytes[column];
    if (last != null && Arrays.equals(last, 0, last.length, b, s, s + n)) {
      return lastText[column];
    }
    String text = new String(b, s, n, StandardCharsets.UTF_8);
    lastBytes[column] = Arrays.copyOfRange(b, s, s + n);
    lastText[column] = text;
    return text;
  }
}
