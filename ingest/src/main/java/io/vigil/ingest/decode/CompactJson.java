package io.vigil.ingest.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * A reusable buffer that rewrites JSON tokens as compact JSON text while they are parsed: the
 * decoder copies each event through it once, and slices of the result become the free-form fields.
 * Numbers keep their original text (no float rounding); strings are re-escaped minimally. Faster
 * than a {@code JsonGenerator} here because a slice needs no flush and no comma bookkeeping beyond
 * a bit per level.
 */
final class CompactJson {

  private char[] buf = new char[16 * 1024];
  private int len;
  private boolean[] hasItems = new boolean[64];
  private int depth;
  private boolean afterName;
  private boolean copying = true;

  void reset() {
    if (buf.length > 4 * 1024 * 1024) {
      // a rare huge record must not pin its buffer for the rest of the object
      buf = new char[16 * 1024];
    }
    len = 0;
    depth = 0;
    afterName = false;
  }

  int length() {
    return len;
  }

  /**
   * Turns copying on or off until the next call: off, nothing is written and {@link #copyValue}
   * skips the value undecoded (a reader that needs only some fields of a record).
   */
  void copying(boolean on) {
    copying = on;
  }

  boolean copying() {
    return copying;
  }

  String slice(int from, int to) {
    return new String(buf, from, to - from);
  }

  @Override
  public String toString() {
    return new String(buf, 0, len);
  }

  void fieldName(String name) {
    if (!copying) {
      return;
    }
    if (hasItems[depth]) {
      append(',');
    }
    hasItems[depth] = true;
    writeQuoted(name);
    append(':');
    afterName = true;
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
    } else if (depth > 0) {
      if (hasItems[depth]) {
        append(',');
      }
      hasItems[depth] = true;
    }
  }

  void startObject() {
    if (!copying) {
      return;
    }
    beforeValue();
    append('{');
    push();
  }

  void endObject() {
    if (!copying) {
      return;
    }
    depth--;
    append('}');
  }

  void startArray() {
    if (!copying) {
      return;
    }
    beforeValue();
    append('[');
    push();
  }

  void endArray() {
    if (!copying) {
      return;
    }
    depth--;
    append(']');
  }

  private void push() {
    depth++;
    if (depth == hasItems.length) {
      hasItems = Arrays.copyOf(hasItems, depth * 2);
    }
    hasItems[depth] = false;
  }

  void string(String s) {
    if (!copying) {
      return;
    }
    beforeValue();
    writeQuoted(s);
  }

  /**
   * Copies the value at the parser's current token (a scalar, or a whole object or array) and
   * leaves the parser on its last token. Once the buffer passes {@code limit} chars it stops
   * copying, skips the rest of the value without materialising it, and returns false.
   */
  boolean copyValue(JsonParser p, int limit) throws IOException {
    if (!copying) {
      p.skipChildren();
      return true;
    }
    JsonToken t = p.currentToken();
    int level = 0;
    while (true) {
      switch (t) {
        case START_OBJECT -> {
          startObject();
          level++;
        }
        case START_ARRAY -> {
          startArray();
          level++;
        }
        case END_OBJECT -> {
          endObject();
          level--;
        }
        case END_ARRAY -> {
          endArray();
          level--;
        }
        case FIELD_NAME -> fieldName(p.currentName());
        case VALUE_STRING -> {
          beforeValue();
          writeQuoted(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          beforeValue();
          int n = p.getTextLength();
          ensure(n);
          System.arraycopy(p.getTextCharacters(), p.getTextOffset(), buf, len, n);
          len += n;
        }
        case VALUE_TRUE -> literal("true");
        case VALUE_FALSE -> literal("false");
        case VALUE_NULL -> literal("null");
        default -> literal("null"); // embedded objects do not occur in parsed text
      }
      if (level == 0) {
        return true;
      }
      if (len > limit) {
        skipLevels(p, level);
        return false;
      }
      t = p.nextToken();
    }
  }

  /** Skips the rest of {@code levels} open containers, leaving the parser on the last end token. */
  static void skipLevels(JsonParser p, int levels) throws IOException {
    while (levels > 0) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return;
      }
      if (t.isStructStart()) {
        p.skipChildren();
      } else if (t.isStructEnd()) {
        levels--;
      }
    }
  }

  private void literal(String s) {
    beforeValue();
    int n = s.length();
    ensure(n);
    s.getChars(0, n, buf, len);
    len += n;
  }

  /**
   * Copies first, then looks for a char that needs escaping: the copy is an intrinsic (a vector
   * inflate for a Latin-1 string), the scan a tight loop over the buffer, and almost no CloudTrail
   * string has anything to escape. Only from the first such char on is the text copied char by
   * char.
   */
  private void writeQuoted(String s) {
    int n = s.length();
    ensure(n + 2);
    buf[len++] = '"';
    int start = len;
    s.getChars(0, n, buf, start);
    int i = firstToEscape(start, start + n);
    if (i < 0) {
      len = start + n;
    } else {
      len = i;
      escapeFrom(s.toCharArray(), i - start, n);
    }
    buf[len++] = '"';
  }

  private void writeQuoted(char[] text, int off, int n) {
    ensure(n + 2);
    buf[len++] = '"';
    int start = len;
    System.arraycopy(text, off, buf, start, n);
    int i = firstToEscape(start, start + n);
    if (i < 0) {
      len = start + n;
    } else {
      len = i;
      escapeFrom(text, off + i - start, off + n);
    }
    buf[len++] = '"';
  }

  /** The index in the buffer of the first char in [from, to) that JSON must escape, or -1. */
  private int firstToEscape(int from, int to) {
    char[] b = buf;
    for (int i = from; i < to; i++) {
      char c = b[i];
      if (c < 0x20 || c == '"' || c == '\\') {
        return i;
      }
    }
    return -1;
  }

  /** Writes text[from, end) at the buffer's end, escaping as needed. */
  private void escapeFrom(char[] text, int from, int end) {
    for (int i = from; i < end; i++) {
      char c = text[i];
      if (c < 0x20 || c == '"' || c == '\\') {
        escape(c, end - i);
      } else {
        buf[len++] = c;
      }
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private void escape(char c, int remaining) {
    ensure(remaining + 6);
    buf[len++] = '\\';
    switch (c) {
      case '"' -> buf[len++] = '"';
      case '\\' -> buf[len++] = '\\';
      case '\n' -> buf[len++] = 'n';
      case '\r' -> buf[len++] = 'r';
      case '\t' -> buf[len++] = 't';
      case '\b' -> buf[len++] = 'b';
      case '\f' -> buf[len++] = 'f';
      default -> {
        buf[len++] = 'u';
        buf[len++] = '0';
        buf[len++] = '0';
        buf[len++] = HEX[c >> 4];
        buf[len++] = HEX[c & 0xf];
      }
    }
  }

  private void append(char c) {
    ensure(1);
    buf[len++] = c;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more + 16));
    }
  }
}
