package io.vigil.ingest.kinesis;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Records that the Kinesis Producer Library (and producers that copy its format, such as Fluent
 * Bit's aggregation) pack into one Kinesis record: the magic bytes {@code F3 89 9A C2}, a protobuf
 * {@code AggregatedRecord} (field 3: repeated {@code Record}, whose field 3 is the user data), and
 * the MD5 digest of the protobuf bytes. Vigil reads the user records out of it so that each is
 * decoded on its own.
 *
 * <p>As the Kinesis Client Library does, a record that starts with the magic bytes but whose digest
 * does not match is not an aggregate: it is handed on as it is (and decoded, or rejected, as any
 * other record). A matching digest over a message that is not a well-formed aggregate is an error.
 */
final class KplAggregate {

  private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
  private static final int DIGEST_LENGTH = 16;
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LENGTH_DELIMITED = 2;
  private static final int WIRE_FIXED32 = 5;

  private KplAggregate() {}

  /** A well-formed aggregate whose digest matched, but whose protobuf message could not be read. */
  static final class MalformedAggregateException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedAggregateException(String message) {
      super(message);
    }
  }

  /**
   * The user records packed in {@code data}, in order; empty when {@code data} is not a KPL
   * aggregate (no magic bytes, or a digest that does not match).
   *
   * @throws MalformedAggregateException when the digest matched but the message is not readable
   */
  static Optional<List<byte[]>> unpack(byte[] data) throws MalformedAggregateException {
    if (data.length < MAGIC.length + DIGEST_LENGTH
        || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return Optional.empty();
    }
    int end = data.length - DIGEST_LENGTH;
    byte[] digest = md5(data, MAGIC.length, end - MAGIC.length);
    if (!Arrays.equals(digest, 0, DIGEST_LENGTH, data, end, data.length)) {
      return Optional.empty();
    }
    List<byte[]> records = new ArrayList<>();
    Reader message = new Reader(data, MAGIC.length, end);
    while (message.more()) {
      long tag = message.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 3 && wire == WIRE_LENGTH_DELIMITED) {
        records.add(userData(message.lengthDelimited(), records.size()));
      } else {
        message.skip(wire);
      }
    }
    return Optional.of(records);
  }

  /** The data (field 3) of one {@code Record} message. */
  private static byte[] userData(Reader record, int index) throws MalformedAggregateException {
    byte[] data = null;
    while (record.more()) {
      long tag = record.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 3 && wire == WIRE_LENGTH_DELIMITED) {
        Reader bytes = record.lengthDelimited();
        data = Arrays.copyOfRange(bytes.data, bytes.position, bytes.end);
      } else {
        record.skip(wire);
      }
    }
    if (data == null) {
      throw new MalformedAggregateException("KPL aggregate: record " + index + " has no data");
    }
    return data;
  }

  private static byte[] md5(byte[] data, int offset, int length) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(data, offset, length);
      return md5.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }

  /** Reads protobuf wire format from a bounded slice, refusing to read past it. */
  private static final class Reader {
    private final byte[] data;
    private final int end;
    private int position;

    Reader(byte[] data, int position, int end) {
      this.data = data;
      this.position = position;
      this.end = end;
    }

    boolean more() {
      return position < end;
    }

    long varint() throws MalformedAggregateException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new MalformedAggregateException(
              "KPL aggregate: truncated varint at byte " + position);
        }
        byte b = data[position++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new MalformedAggregateException(
          "KPL aggregate: varint longer than 10 bytes at byte " + position);
    }

    Reader lengthDelimited() throws MalformedAggregateException {
      long length = varint();
      if (length < 0 || length > end - position) {
        throw new MalformedAggregateException(
            "KPL aggregate: a field of "
                + length
                + " bytes at byte "
                + position
                + " runs past the message");
      }
      Reader inner = new Reader(data, position, position + (int) length);
      position += (int) length;
      return inner;
    }

    void skip(int wire) throws MalformedAggregateException {
      switch (wire) {
        case WIRE_VARINT -> varint();
        case WIRE_FIXED64 -> advance(8);
        case WIRE_LENGTH_DELIMITED -> lengthDelimited();
        case WIRE_FIXED32 -> advance(4);
        default ->
            throw new MalformedAggregateException(
                "KPL aggregate: unknown wire type " + wire + " before byte " + position);
      }
    }

    private void advance(int bytes) throws MalformedAggregateException {
      if (bytes > end - position) {
        throw new MalformedAggregateException("KPL aggregate: truncated field at byte " + position);
      }
      position += bytes;
    }
  }
}
