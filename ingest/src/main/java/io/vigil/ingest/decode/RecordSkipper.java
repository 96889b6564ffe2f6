package io.vigil.ingest.decode;

import io.vigil.schemas.DeadLetters;
import java.io.IOException;
import java.util.Arrays;

/**
 * Finds where a JSON record ends without parsing it, after the parser failed inside it (too deep, a
 * string or number too long, invalid JSON): a state machine over bytes that follows strings,
 * escapes and bracket depth, with none of the parser's limits and constant memory (a depth counter,
 * not a stack), so no record can make it allocate. It keeps the first {@link
 * DeadLetters#MAX_RAW_BYTES} for the dead letter and counts the record keys it passes ({@code
 * "eventID"}), the records a gap may hide.
 *
 * <p>Two framings: an element of an array ends at the next {@code ,} or at the array's closing
 * bracket at depth 0; a top-level value (JSON lines, concatenated events) ends where its brackets
 * balance, or at the next line that starts with <code>{</code>, since a raw newline never occurs
 * inside a JSON string: a truncated line does not take the next one with it.
 */
final class RecordSkipper {

  /** Where the skipped record ended. */
  enum End {
    /** At a record boundary: the tape is at the next record (past the separating comma). */
    NEXT,
    /** At the closing bracket of the enclosing array, not consumed. */
    CLOSE,
    /** At the end of the input: no boundary was found. */
    EOF
  }

  private final boolean topLevel;
  private final byte[] key;
  private final byte[] head = new byte[DeadLetters.MAX_RAW_BYTES];
  private int headLen;
  private long skipped;
  private long valueBytes;
  private long records;
  private long newlines;
  private long leadingNewlines;

  private boolean started;
  private boolean inString;
  private boolean escape;
  private long depth;
  private boolean lineStart;
  private int matched;

  /** A skipper for an array element ({@code topLevel} false) or a top-level value. */
  RecordSkipper(boolean topLevel, byte[] recordKey) {
    this.topLevel = topLevel;
    this.key = recordKey;
  }

  /** Skips the record starting at the tape's position and leaves the tape where the next begins. */
  End skip(RecordTape tape) throws IOException {
    byte[] chunk = new byte[8192];
    while (true) {
      long chunkStart = tape.position();
      tape.mark(chunkStart);
      int n = tape.read(chunk, 0, chunk.length);
      if (n < 0) {
        return End.EOF;
      }
      for (int i = 0; i < n; i++) {
        int stop = step(chunk[i]);
        if (stop != 0) {
          int consumed = stop > 0 ? i + 1 : i;
          count(chunk, 0, consumed);
          tape.rewind(chunkStart + consumed);
          return stop == 2 || stop == -2 ? End.CLOSE : End.NEXT;
        }
      }
      count(chunk, 0, n);
    }
  }

  /** Counts what follows to the end of the input, for a gap that cannot be skipped. */
  void drain(java.io.InputStream in) throws IOException {
    byte[] chunk = new byte[8192];
    int n;
    while ((n = in.read(chunk, 0, chunk.length)) >= 0) {
      count(chunk, 0, n);
      for (int i = 0; i < n; i++) {
        matchKey(chunk[i]);
      }
    }
  }

  /**
   * One byte: 0 to go on; 1 to stop after it (next record), -1 to stop before it (next record), -2
   * to stop before it (closing bracket).
   */
  private int step(byte b) {
    matchKey(b);
    if (b == '\n') {
      newlines++;
      if (!started) {
        leadingNewlines++;
      }
    }
    if (!started) {
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        return 0;
      }
      started = true;
      if (b == ',' && !topLevel) {
        started = false;
        return 0;
      }
      lineStart = false;
    }
    valueBytes++;
    if (topLevel && lineStart && b == '{') {
      valueBytes--;
      return -1;
    }
    lineStart = b == '\n';
    if (inString) {
      if (b == '\n' && topLevel) {
        inString = false; // a raw newline cannot be inside a JSON string: the string was cut
      } else if (escape) {
        escape = false;
      } else if (b == '\\') {
        escape = true;
      } else if (b == '"') {
        inString = false;
      }
      return 0;
    }
    switch (b) {
      case '"' -> inString = true;
      case '{', '[' -> depth++;
      case '}', ']' -> {
        if (depth == 0) {
          if (topLevel) {
            return 0; // a stray closer: part of the broken record
          }
          valueBytes--;
          return -2;
        }
        depth--;
        if (depth == 0 && topLevel) {
          return 1;
        }
      }
      case ',' -> {
        if (depth == 0 && !topLevel) {
          valueBytes--;
          return 1;
        }
      }
      default -> {
        // any other byte belongs to the record
      }
    }
    return 0;
  }

  private void matchKey(byte b) {
    if (b == key[matched]) {
      matched++;
      if (matched == key.length) {
        records++;
        matched = 0;
      }
    } else {
      matched = b == key[0] ? 1 : 0;
    }
  }

  private void count(byte[] b, int off, int n) {
    skipped += n;
    int keep = Math.min(n, head.length - headLen);
    if (keep > 0) {
      System.arraycopy(b, off, head, headLen, keep);
      headLen += keep;
    }
  }

  /** Bytes consumed from where the skip started (separators and whitespace included). */
  long skipped() {
    return skipped;
  }

  /** Bytes of the record itself. */
  long valueBytes() {
    return valueBytes;
  }

  /** Record keys ({@code "eventID"}, {@code "message"}) seen: about how many records passed. */
  long records() {
    return records;
  }

  /** Newlines before the record began. */
  long leadingNewlines() {
    return leadingNewlines;
  }

  /** Newlines passed. */
  long newlines() {
    return newlines;
  }

  /** Whether any byte of a record was seen (not only whitespace and a separator). */
  boolean sawValue() {
    return valueBytes > 0;
  }

  /** The first bytes passed, at most {@link DeadLetters#MAX_RAW_BYTES}. */
  byte[] head() {
    return Arrays.copyOf(head, headLen);
  }
}
