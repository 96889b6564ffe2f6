package io.vigil.schemas;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes an Avro datum after a fixed header (single-object encoding's, the Confluent wire format's)
 * into a new array: the one place the serializers turn a record into bytes. Avro's direct encoder
 * writes a value at a time, often a byte at a time; into a {@code ByteArrayOutputStream} (Avro's
 * own {@code BinaryMessageEncoder} writes into one) every write takes its lock (one of them, {@code
 * writeZero}, was 7% of the detection topology's thread in a profile). So each thread writes into a
 * buffer of its own without a lock, reused from record to record (docs/benchmarks.md,
 * SerializerBenchmark).
 */
final class DatumBytes {

  /** A thread's buffer grown past this (by a rare large record) is let go after the record. */
  private static final int KEPT_AT_MOST = 1 << 20;

  private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

  private DatumBytes() {}

  /** {@code header}, then {@code datum} in Avro binary, as a new array. */
  static <T> byte[] write(byte[] header, DatumWriter<T> writer, T datum) throws IOException {
    Buffer buffer = BUFFERS.get();
    buffer.count = 0;
    buffer.write(header, 0, header.length);
    buffer.encoder = EncoderFactory.get().directBinaryEncoder(buffer, buffer.encoder);
    writer.write(datum, buffer.encoder);
    byte[] bytes = Arrays.copyOf(buffer.bytes, buffer.count);
    if (buffer.bytes.length > KEPT_AT_MOST) {
      BUFFERS.remove();
    }
    return bytes;
  }

  /** A growing array written without a lock; one thread's. */
  private static final class Buffer extends OutputStream {
    private byte[] bytes = new byte[1024];
    private int count;
    private BinaryEncoder encoder;

    @Override
    public void write(int b) {
      if (count == bytes.length) {
        grow(1);
      }
      bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > bytes.length - count) {
        grow(len);
      }
      System.arraycopy(b, off, bytes, count, len);
      count += len;
    }

    private void grow(int more) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, Math.addExact(count, more)));
    }
  }
}
