package io.vigil.schemas;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated record in Avro single-object encoding with its current schema: the marker
 * {@code C3 01}, the schema's 64-bit parsing fingerprint (little-endian), then the record in Avro
 * binary; byte for byte what Avro's {@code BinaryMessageEncoder} writes, without its locks ({@link
 * DatumBytes}).
 */
public final class SingleObjectSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final Class<T> type;
  private final byte[] header;
  private final DatumWriter<T> writer;

  @SuppressWarnings("unchecked")
  public SingleObjectSerializer(Class<T> type) {
    this.type = type;
    Schema schema = SchemaCatalog.currentSchema(type);
    this.header = SingleObjectHeader.of(schema);
    // The class's own model carries the logical-type conversions (timestamp-millis -> Instant).
    this.writer = (DatumWriter<T>) SpecificData.getForClass(type).createDatumWriter(schema);
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    try {
      return DatumBytes.write(header, writer, record);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
  }
}
