package io.vigil.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire format bytes into a generated record: the writer schema is fetched from the
 * registry by the id in the header and resolved to the current schema of the class. Bytes that are
 * not in that format, an unknown id, a schema that cannot be resolved or a corrupt body are each a
 * {@link SerializationException}.
 */
public final class ConfluentWireDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private static final int HEADER_LENGTH = 5;

  private final Class<T> type;
  private final SchemaRegistryClient client;
  private final Schema readerSchema;
  private final SpecificData model;
  // Readers are thread-safe and cache their resolution, so one per writer schema id is kept.
  private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

  public ConfluentWireDeserializer(Class<T> type, SchemaRegistryClient client) {
    AvroTrust.ensureVigilClassesTrusted();
    this.type = type;
    this.client = client;
    this.readerSchema = SchemaCatalog.currentSchema(type);
    this.model = SpecificData.getForClass(type);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    String what = type.getSimpleName() + " from topic " + topic;
    if (data.length < HEADER_LENGTH || data[0] != ConfluentWireSerializer.MAGIC) {
      throw new SerializationException(
          "cannot decode "
              + what
              + ": not the Confluent wire format (expected magic byte 0 and a"
              + " 4-byte schema id, got "
              + data.length
              + " bytes)");
    }
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    SpecificDatumReader<T> reader = readersById.computeIfAbsent(id, this::readerFor);
    try {
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
      T record = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "cannot decode " + what + ": trailing bytes after the record (schema id " + id + ")");
      }
      return record;
    } catch (SerializationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode " + what + " with schema id " + id + ": corrupt record body (" + e + ")",
          e);
    }
  }

  private SpecificDatumReader<T> readerFor(int id) {
    Schema writer = client.schemaById(id);
    if (writer.getType() != Schema.Type.RECORD
        || !writer.getFullName().equals(readerSchema.getFullName())) {
      throw new SerializationException(
          "cannot decode "
              + type.getSimpleName()
              + ": schema id "
              + id
              + " is "
              + (writer.getType() == Schema.Type.RECORD ? writer.getFullName() : writer.getType())
              + ", not "
              + readerSchema.getFullName());
    }
    return new SpecificDatumReader<>(writer, readerSchema, model);
  }
}
