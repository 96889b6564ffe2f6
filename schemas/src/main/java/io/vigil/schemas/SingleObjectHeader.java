package io.vigil.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The 10-byte header of Avro single-object encoding: the marker {@code C3 01}, then the writer
 * schema's 64-bit parsing fingerprint, little-endian. One definition for the serializer that writes
 * it and the deserializer that reads it.
 */
final class SingleObjectHeader {

  static final int LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private SingleObjectHeader() {}

  /** The header of records written with {@code schema}. */
  static byte[] of(Schema schema) {
    return ByteBuffer.allocate(LENGTH)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(MARKER_0)
        .put(MARKER_1)
        .putLong(SchemaNormalization.parsingFingerprint64(schema))
        .array();
  }

  /** Whether {@code data} starts with a header (the marker, and room for the fingerprint). */
  static boolean startsWithHeader(byte[] data) {
    return data.length >= LENGTH && data[0] == MARKER_0 && data[1] == MARKER_1;
  }

  /** The writer schema's fingerprint in a header {@link #startsWithHeader} accepted. */
  static long fingerprint(byte[] data) {
    return ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
