package io.vigil.app.console;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Server-Sent Events framing, the {@code text/event-stream} format of the WHATWG HTML standard
 * (section "Server-sent events"): what the console's {@code EventSource} parses. An event is a
 * block of {@code field: value} lines ended by an empty line; every line of the data gets its own
 * {@code data:} field, so data may hold any text, line breaks included, and arrives unchanged.
 */
public final class SseFrame {

  // The three line endings the standard's parser accepts; each one ends a data line.
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private SseFrame() {}

  /**
   * One event: {@code event:} (omitted when {@code name} is null, which the browser dispatches as
   * "message"), {@code id:} (omitted when null; the browser sends it back as {@code Last-Event-ID}
   * when it reconnects) and the data, one {@code data:} line per line of {@code data}.
   *
   * @throws IllegalArgumentException when the name or id holds a line break or NUL, which the
   *     format cannot carry (the browser would cut the field there or, for an id, ignore it)
   */
  public static String event(String name, String id, String data) {
    StringBuilder frame = new StringBuilder(data.length() + 64);
    if (name != null) {
      frame.append("event: ").append(singleLine("event name", name)).append('\n');
    }
    if (id != null) {
      frame.append("id: ").append(singleLine("event id", id)).append('\n');
    }
    // One space after the colon: the parser strips exactly one, so a line that itself starts with
    // a space keeps it.
    for (String line : LINE_BREAK.split(data, -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    return frame.append('\n').toString();
  }

  /**
   * A comment block (lines starting with a colon): ignored by the browser, but it keeps an idle
   * connection from being closed by proxies and load balancers, and a write to a client that went
   * away fails, which ends its stream.
   */
  public static String comment(String text) {
    StringBuilder frame = new StringBuilder(text.length() + 8);
    for (String line : LINE_BREAK.split(text, -1)) {
      frame.append(": ").append(line).append('\n');
    }
    return frame.append('\n').toString();
  }

  /** Tells the browser how long to wait before it reconnects after the stream ends. */
  public static String retry(Duration delay) {
    return "retry: " + delay.toMillis() + "\n\n";
  }

  private static String singleLine(String what, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          what
              + " must not contain a line break or NUL: '"
              + value.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0")
              + "'");
    }
    return value;
  }
}
