package io.vigil.ingest.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 128-bit content hash for flow record references: two independent 64-bit multiply-rotate lanes
 * over 8-byte words, each finished with a full avalanche mix. Not cryptographic (the lines are
 * written by AWS, not chosen by an attacker) but stable across JVMs and releases, and several times
 * faster than SHA-256 on the flow log hot path. Written for Vigil; the constants are the usual
 * 64-bit golden-ratio and mixing primes.
 */
final class RecordRefHash {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long P1 = 0x9E3779B97F4A7C15L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RecordRefHash() {}

  /**
   * 32 hex characters identifying {@code seed} (e.g. a header's hash) and {@code b[off, off+len)}.
   */
  static String hex(long seed, byte[] b, int off, int len) {
    long h1 = seed ^ P1 ^ len;
    long h2 = Long.rotateLeft(seed, 29) ^ P2 ^ ((long) len << 32);
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long k = (long) LONGS.get(b, i);
      h1 = Long.rotateLeft(h1 ^ (k * P2), 31) * P1;
      h2 = Long.rotateLeft(h2 ^ (k * P3), 27) * P2 + P3;
    }
    long tail = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      tail |= (b[i] & 0xffL) << shift;
    }
    h1 = Long.rotateLeft(h1 ^ (tail * P2), 31) * P1;
    h2 = Long.rotateLeft(h2 ^ (tail * P3), 27) * P2 + P3;
    h1 = mix(h1 + h2);
    h2 = mix(h2 ^ h1);
    char[] out = new char[32];
    put(out, 0, h1);
    put(out, 16, h2);
    return new String(out);
  }

  /** A seed from text, e.g. the normalised header line. */
  static long seed(byte[] b) {
    String h = hex(0, b, 0, b.length);
    return Long.parseUnsignedLong(h.substring(0, 16), 16);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  private static void put(char[] out, int at, long v) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }
}
