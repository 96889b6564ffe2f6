package io.vigil.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a generated record in Avro single-object encoding with its current schema. */
public final class SingleObjectSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;

  public SingleObjectSerializer(Class<T> type) {
    this.type = type;
    // The class's own model carries the logical-type conversions (timestamp-millis -> Instant).
    this.encoder =
        new BinaryMessageEncoder<>(
            SpecificData.getForClass(type), SchemaCatalog.currentSchema(type));
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(record);
      return Arrays.copyOfRange(
          buffer.array(),
          buffer.arrayOffset() + buffer.position(),
          buffer.arrayOffset() + buffer.limit());
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
  }
}
