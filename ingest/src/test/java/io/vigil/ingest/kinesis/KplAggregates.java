package io.vigil.ingest.kinesis;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.List;

/**
 * Builds Kinesis records in the Kinesis Producer Library's aggregated format, written here from the
 * format's description (magic bytes, protobuf {@code AggregatedRecord}, MD5), for tests.
 */
final class KplAggregates {

  private KplAggregates() {}

  /** One aggregated record holding {@code records}, each under partition key index 0. */
  static byte[] pack(List<byte[]> records) throws Exception {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    field(message, 1, "partition-key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (byte[] data : records) {
      ByteArrayOutputStream record = new ByteArrayOutputStream();
      record.write(1 << 3); // partition_key_index, varint
      record.write(0);
      field(record, 3, data);
      field(message, 3, record.toByteArray());
    }
    byte[] protobuf = message.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2});
    out.write(protobuf);
    out.write(MessageDigest.getInstance("MD5").digest(protobuf));
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
    out.write(number << 3 | 2);
    varint(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }
}
