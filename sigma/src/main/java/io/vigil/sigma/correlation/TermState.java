package io.vigil.sigma.correlation;

import java.nio.ByteBuffer;

/**
 * What a new_terms correlation remembers of one term (or, under its data key, of all its terms):
 * the event times of its first and latest sighting within the history, and how many sightings.
 * Fixed-size, so a store of terms grows with the number of distinct terms only.
 */
public record TermState(long firstSeen, long lastSeen, long sightings) {

  private static final byte FORMAT = 'T';
  private static final int SIZE = 1 + 3 * Long.BYTES;

  /** A term seen once, at {@code time}. */
  public static TermState first(long time) {
    return new TermState(time, time, 1);
  }

  /** This term seen again at {@code time} (which may be earlier than its latest sighting). */
  public TermState seenAt(long time) {
    return new TermState(Math.min(firstSeen, time), Math.max(lastSeen, time), sightings + 1);
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(SIZE)
        .put(FORMAT)
        .putLong(firstSeen)
        .putLong(lastSeen)
        .putLong(sightings)
        .array();
  }

  /**
   * @throws IllegalArgumentException when {@code data} is not a term state
   */
  public static TermState fromBytes(byte[] data) {
    if (data.length != SIZE || data[0] != FORMAT) {
      throw new IllegalArgumentException("not a term state (" + data.length + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(data, 1, SIZE - 1);
    return new TermState(in.getLong(), in.getLong(), in.getLong());
  }
}
