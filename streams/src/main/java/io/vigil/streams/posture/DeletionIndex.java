package io.vigil.streams.posture;

/**
 * Keys of the deletion index ({@link PostureTopology#DELETIONS_STORE}): the deletion's event time
 * as 19 zero-padded digits, a space, the ARN. Persistent key-value stores iterate in the order of
 * the serialized keys, which for these ASCII digits of one width is the order of the times, so the
 * deletions due by a cut-off are one range read from the start.
 */
final class DeletionIndex {

  private static final int DIGITS = 19;

  /** Sorts before every key. */
  static final String FIRST = time(0);

  private DeletionIndex() {}

  static String key(long deletedAt, String arn) {
    return time(deletedAt) + " " + arn;
  }

  /**
   * An upper bound, for an inclusive range read, above the keys of deletions at or before {@code
   * cutoff} and below every later one: the bare time {@code cutoff + 1} sorts before each key that
   * extends it, and no key is a bare time.
   */
  static String after(long cutoff) {
    return time(cutoff == Long.MAX_VALUE ? cutoff : cutoff + 1);
  }

  /**
   * Times before 1970 do not occur in CloudTrail; they sort with 1970 rather than break the order.
   */
  private static String time(long millis) {
    return String.format("%0" + DIGITS + "d", Math.max(0, millis));
  }
}
