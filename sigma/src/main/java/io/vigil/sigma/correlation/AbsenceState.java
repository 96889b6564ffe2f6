package io.vigil.sigma.correlation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an absence correlation remembers of one group: the earliest first event still waiting for
 * its follow-up (its time, reference, and the caller's context to make the alert from), and the
 * latest follow-up seen.
 *
 * @param pendingAt event time of the waiting first event, or {@link #NONE}
 * @param pendingRef its reference, or null
 * @param lastFollowUp event time of the latest follow-up, or {@link #NONE}
 * @param context what the caller keeps to make the alert (a hit), or null
 */
public record AbsenceState(long pendingAt, String pendingRef, long lastFollowUp, byte[] context) {

  /** No time. */
  public static final long NONE = Long.MIN_VALUE;

  private static final byte FORMAT = 'A';

  /** The state of a group nothing happened in yet. */
  public static final AbsenceState EMPTY = new AbsenceState(NONE, null, NONE, null);

  /** Whether a first event waits for its follow-up. */
  public boolean pending() {
    return pendingAt != NONE;
  }

  public byte[] toBytes() {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(pendingAt);
      out.writeLong(lastFollowUp);
      byte[] ref = pendingRef == null ? null : pendingRef.getBytes(StandardCharsets.UTF_8);
      out.writeInt(ref == null ? -1 : ref.length);
      if (ref != null) {
        out.write(ref);
      }
      out.writeInt(context == null ? -1 : context.length);
      if (context != null) {
        out.write(context);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code data} is not an absence state
   */
  public static AbsenceState fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (data.length < 1 + 2 * Long.BYTES + 2 * Integer.BYTES || in.readByte() != FORMAT) {
        throw new IllegalArgumentException("not an absence state (" + data.length + " bytes)");
      }
      long pendingAt = in.readLong();
      long lastFollowUp = in.readLong();
      byte[] ref = readBytes(in);
      byte[] context = readBytes(in);
      return new AbsenceState(
          pendingAt,
          ref == null ? null : new String(ref, StandardCharsets.UTF_8),
          lastFollowUp,
          context);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt absence state", e);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    if (length > in.available()) {
      throw new IOException("length past the end");
    }
    return in.readNBytes(length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AbsenceState state
        && state.pendingAt == pendingAt
        && Objects.equals(state.pendingRef, pendingRef)
        && state.lastFollowUp == lastFollowUp
        && Arrays.equals(state.context, context);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pendingAt, pendingRef, lastFollowUp);
  }

  @Override
  public String toString() {
    return "AbsenceState{pendingAt=" + pendingAt + ", lastFollowUp=" + lastFollowUp + "}";
  }
}
