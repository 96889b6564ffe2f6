package io.vigil.sigma.correlation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The state of one correlation window of one group: the window's start, the matching events that
 * decide its condition (time, rule, counted value, reference; only until it fires), how many events
 * it has counted, the measured value when it fired, and whether it is closed. An immutable value,
 * small and bounded (a hard cap drops the oldest entries), with a compact binary form ({@link
 * #toBytes()}/{@link #fromBytes(byte[])}) for a Kafka Streams store or a changelog.
 *
 * <p>Three phases: open (collecting entries), fired (entries dropped, later events only add to the
 * count) and closed (a marker kept for a while so that a straggler is reported as late rather than
 * opening the window again).
 */
public final class CorrelationState {

  private static final byte FORMAT = 2;
  private static final long NOT_FIRED = Long.MIN_VALUE;

  /** One remembered event. */
  public record Entry(long timestamp, String ruleId, String value, String eventRef) {}

  private final long windowStart;
  private final List<Entry> entries;
  private final long events;
  private final long dropped;
  private final long firedValue;
  private final boolean closed;
  private final byte[] context;

  CorrelationState(
      long windowStart,
      List<Entry> entries,
      long events,
      long dropped,
      long firedValue,
      boolean closed,
      byte[] context) {
    this.windowStart = windowStart;
    this.entries = List.copyOf(entries);
    this.events = events;
    this.dropped = dropped;
    this.firedValue = firedValue;
    this.closed = closed;
    this.context = context;
  }

  /** The state of a window that has seen nothing yet. */
  static CorrelationState open(long windowStart) {
    return new CorrelationState(windowStart, List.of(), 0, 0, NOT_FIRED, false, null);
  }

  /**
   * What the caller keeps with an open window, opaque here (the integrator keeps the group's first
   * hit, to make the alert of a window decided when it closes); null when none.
   */
  public byte[] context() {
    return context;
  }

  /** This state with the caller's context. */
  public CorrelationState withContext(byte[] newContext) {
    return new CorrelationState(
        windowStart, entries, events, dropped, firedValue, closed, newContext);
  }

  /** Start of the window (event time, epoch millis), a multiple of the correlation's timespan. */
  public long windowStart() {
    return windowStart;
  }

  /** Remembered events, oldest first; empty once the window fired or closed. */
  public List<Entry> entries() {
    return entries;
  }

  /** Events the window has counted, all of them (the cap drops entries, not counts). */
  public long events() {
    return events;
  }

  /** How many entries the size cap has dropped (0 unless a group is very busy). */
  public long dropped() {
    return dropped;
  }

  /** True once the window's condition held: later events of the window add to its alert. */
  public boolean fired() {
    return firedValue != NOT_FIRED;
  }

  /** The measured value when the window fired; meaningless unless {@link #fired()}. */
  public long firedValue() {
    return firedValue;
  }

  /** True once the window is closed: a later event of it is late. */
  public boolean closed() {
    return closed;
  }

  CorrelationState withEntries(List<Entry> newEntries, long newEvents, long newDropped) {
    return new CorrelationState(
        windowStart, newEntries, newEvents, newDropped, firedValue, closed, context);
  }

  CorrelationState firedWith(long value, long newEvents, long newDropped) {
    return new CorrelationState(windowStart, List.of(), newEvents, newDropped, value, false, null);
  }

  CorrelationState closedMarker() {
    return new CorrelationState(windowStart, List.of(), events, dropped, firedValue, true, null);
  }

  /** The compact binary form. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(48 + entries.size() * 48);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(windowStart);
      out.writeLong(events);
      out.writeLong(dropped);
      out.writeLong(firedValue);
      out.writeBoolean(closed);
      out.writeInt(context == null ? -1 : context.length);
      if (context != null) {
        out.write(context);
      }
      out.writeInt(entries.size());
      for (Entry entry : entries) {
        out.writeLong(entry.timestamp());
        writeText(out, entry.ruleId());
        writeText(out, entry.value());
        writeText(out, entry.eventRef());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads the binary form.
   *
   * @throws IllegalArgumentException when the bytes are not a state of a known format (format 1,
   *     the sliding windows of earlier versions, is not read: such a store is rebuilt empty)
   */
  public static CorrelationState fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown correlation state format " + format);
      }
      long windowStart = in.readLong();
      long events = in.readLong();
      long dropped = in.readLong();
      long firedValue = in.readLong();
      boolean closed = in.readBoolean();
      int contextLength = in.readInt();
      if (contextLength > in.available()) {
        throw new IllegalArgumentException("corrupt correlation state (context)");
      }
      byte[] context = contextLength < 0 ? null : in.readNBytes(contextLength);
      int size = in.readInt();
      if (size < 0 || size > data.length) {
        throw new IllegalArgumentException("corrupt correlation state (" + size + " entries)");
      }
      List<Entry> entries = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        entries.add(new Entry(in.readLong(), readText(in), readText(in), readText(in)));
      }
      return new CorrelationState(
          windowStart, entries, events, dropped, firedValue, closed, context);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt correlation state", e);
    }
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    if (text == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readText(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    if (length > in.available()) {
      throw new IOException("text longer than the remaining bytes");
    }
    byte[] utf8 = in.readNBytes(length);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CorrelationState state
        && state.windowStart == windowStart
        && state.entries.equals(entries)
        && state.events == events
        && state.dropped == dropped
        && state.firedValue == firedValue
        && state.closed == closed
        && Arrays.equals(state.context, context);
  }

  @Override
  public int hashCode() {
    return Objects.hash(windowStart, entries, events, dropped, firedValue, closed);
  }

  @Override
  public String toString() {
    return "CorrelationState{windowStart="
        + windowStart
        + ", entries="
        + entries.size()
        + ", events="
        + events
        + (fired() ? ", fired=" + firedValue : "")
        + (closed ? ", closed" : "")
        + "}";
  }
}
