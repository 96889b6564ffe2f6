package io.vigil.schemas;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro single-object encoded bytes into a generated record. The writer schema is found by
 * fingerprint among the versions this jar knows ({@link SchemaCatalog#knownVersions}) and
 * resolved to the current schema. Anything else, an unknown fingerprint included, is a {@link
 * SerializationException}.
 */
public final class SingleObjectDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final Class<T> type;
  private final BinaryMessageDecoder<T> decoder;

  public SingleObjectDeserializer(Class<T> type) {
    AvroTrust.ensureVigilClassesTrusted();
    this.type = type;
    SchemaStore.Cache known = new SchemaStore.Cache();
    SchemaCatalog.knownVersions(type).forEach(known::addSchema);
    this.decoder =
        new BinaryMessageDecoder<>(
            SpecificData.getForClass(type), SchemaCatalog.currentSchema(type), known);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    String what = type.getSimpleName() + " from topic " + topic;
    try {
      return decoder.decode(new ByteArrayInputStream(data), null);
    } catch (BadHeaderException e) {
      throw new SerializationException(
          "cannot decode " + what + ": not Avro single-object encoding (" + e.getMessage() + ")",
          e);
    } catch (MissingSchemaException e) {
      throw new SerializationException(
          "cannot decode " + what + ": written with a schema this version of Vigil does not know ("
              + e.getMessage() + ")",
          e);
    } catch (IOException | RuntimeException e) {
      // Truncated or corrupt bodies surface as EOF, AvroRuntimeException, index errors, ...
      throw new SerializationException(
          "cannot decode " + what + ": corrupt record body (" + e + ")", e);
    }
  }
}
