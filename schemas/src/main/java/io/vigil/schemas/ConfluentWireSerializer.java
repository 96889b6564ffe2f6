package io.vigil.schemas;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated record in the Confluent wire format: magic byte 0, the 4-byte big-endian id of
 * its current schema in the registry, then Avro binary. The id is registered (or only looked up) on
 * first use and cached by the client.
 */
public final class ConfluentWireSerializer<T extends SpecificRecord> implements Serializer<T> {

  static final byte MAGIC = 0;

  private final Class<T> type;
  private final String subject;
  private final SchemaRegistryClient client;
  private final boolean autoRegister;
  private final Schema schema;
  private final DatumWriter<T> writer;

  public ConfluentWireSerializer(
      Class<T> type, String subject, SchemaRegistryClient client, boolean autoRegister) {
    this.type = type;
    this.subject = subject;
    this.client = client;
    this.autoRegister = autoRegister;
    this.schema = SchemaCatalog.currentSchema(type);
    this.writer = new SpecificDatumWriter<>(schema, SpecificData.getForClass(type));
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    // Registry failures are SchemaRegistryExceptions already and pass through unchanged.
    int id = autoRegister ? client.register(subject, schema) : client.lookup(subject, schema);
    try {
      byte[] header = {MAGIC, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
      return DatumBytes.write(header, writer, record);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
  }
}
