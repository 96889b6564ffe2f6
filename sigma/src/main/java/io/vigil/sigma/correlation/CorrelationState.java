package io.vigil.sigma.correlation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The state of one correlation for one group key: the matching events still inside a window that
 * could fire (time, rule, counted value, reference), the end of the last window that fired and the
 * latest event time seen. An immutable value, small and bounded (entries older than timespan +
 * grace are evicted, and a hard cap drops the oldest), with a compact binary form ({@link
 * #toBytes()}/{@link #fromBytes(byte[])}) for a Kafka Streams store or a changelog.
 */
public final class CorrelationState {

  private static final byte FORMAT = 1;

  /** One remembered event. */
  public record Entry(long timestamp, String ruleId, String value, String eventRef) {}

  private final List<Entry> entries;
  private final long firedThrough;
  private final long maxSeen;
  private final long dropped;

  CorrelationState(List<Entry> entries, long firedThrough, long maxSeen, long dropped) {
    this.entries = List.copyOf(entries);
    this.firedThrough = firedThrough;
    this.maxSeen = maxSeen;
    this.dropped = dropped;
  }

  /** The state of a group that has seen nothing. */
  public static CorrelationState empty() {
    return new CorrelationState(List.of(), Long.MIN_VALUE, Long.MIN_VALUE, 0);
  }

  /** Remembered events, oldest first. */
  public List<Entry> entries() {
    return entries;
  }

  /** End (event time) of the last window that fired; {@code Long.MIN_VALUE} when none has. */
  public long firedThrough() {
    return firedThrough;
  }

  /** Latest event time this group has seen; {@code Long.MIN_VALUE} when none. */
  public long maxSeen() {
    return maxSeen;
  }

  /** How many entries the size cap has dropped so far (0 unless a group is very busy). */
  public long dropped() {
    return dropped;
  }

  /** True when nothing is remembered that could matter any more. */
  public boolean isEmpty() {
    return entries.isEmpty() && firedThrough == Long.MIN_VALUE;
  }

  /** The compact binary form. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + entries.size() * 48);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(firedThrough);
      out.writeLong(maxSeen);
      out.writeLong(dropped);
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
   * @throws IllegalArgumentException when the bytes are not a state of a known format
   */
  public static CorrelationState fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown correlation state format " + format);
      }
      long firedThrough = in.readLong();
      long maxSeen = in.readLong();
      long dropped = in.readLong();
      int size = in.readInt();
      if (size < 0 || size > data.length) {
        throw new IllegalArgumentException("corrupt correlation state (" + size + " entries)");
      }
      List<Entry> entries = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        entries.add(new Entry(in.readLong(), readText(in), readText(in), readText(in)));
      }
      return new CorrelationState(entries, firedThrough, maxSeen, dropped);
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
        && state.entries.equals(entries)
        && state.firedThrough == firedThrough
        && state.maxSeen == maxSeen
        && state.dropped == dropped;
  }

  @Override
  public int hashCode() {
    return Objects.hash(entries, firedThrough, maxSeen, dropped);
  }

  @Override
  public String toString() {
    return "CorrelationState{entries="
        + entries.size()
        + ", firedThrough="
        + firedThrough
        + ", maxSeen="
        + maxSeen
        + ", dropped="
        + dropped
        + "}";
  }
}
