package io.vigil.schemas;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro single-object encoded bytes into a generated record. The writer schema is found by
 * fingerprint among the versions this jar knows ({@link SchemaCatalog#knownVersions}) and resolved
 * to the current schema. Anything else, an unknown fingerprint included, is a {@link
 * SerializationException}.
 *
 * <p>The 10-byte header is parsed here rather than by Avro's {@code BinaryMessageDecoder}: that
 * decoder reads the body from a stream, where Avro cannot see how many bytes remain and allocates
 * whatever length a corrupt record claims (up to 2 GiB per string). Decoding from the byte array
 * lets Avro reject such lengths before allocating.
 */
public final class SingleObjectDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final Class<T> type;
  private final Schema readerSchema;
  private final SpecificData model;
  private final SchemaStore.Cache known = new SchemaStore.Cache();
  // Readers are thread-safe and cache their resolution, so one per writer fingerprint is kept.
  private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  public SingleObjectDeserializer(Class<T> type) {
    AvroTrust.ensureVigilClassesTrusted();
    this.type = type;
    this.readerSchema = SchemaCatalog.currentSchema(type);
    this.model = SpecificData.getForClass(type);
    SchemaCatalog.knownVersions(type).forEach(known::addSchema);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    String what = type.getSimpleName() + " from topic " + topic;
    if (!SingleObjectHeader.startsWithHeader(data)) {
      throw new SerializationException(
          "cannot decode "
              + what
              + ": not Avro single-object encoding (expected 0xC3 0x01 and an 8-byte fingerprint,"
              + " got "
              + data.length
              + " bytes)");
    }
    long fingerprint = SingleObjectHeader.fingerprint(data);
    Schema writer = known.findByFingerprint(fingerprint);
    if (writer == null) {
      throw new SerializationException(
          "cannot decode "
              + what
              + ": written with a schema this version of Vigil does not know (fingerprint "
              + Long.toHexString(fingerprint)
              + ")");
    }
    SpecificDatumReader<T> reader =
        readers.computeIfAbsent(
            fingerprint, f -> new SpecificDatumReader<>(writer, readerSchema, model));
    try {
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(
                  data, SingleObjectHeader.LENGTH, data.length - SingleObjectHeader.LENGTH, null);
      T record = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "cannot decode " + what + ": trailing bytes after the record");
      }
      return record;
    } catch (SerializationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Truncated or corrupt bodies surface as EOF, AvroRuntimeException, index errors, ...
      throw new SerializationException(
          "cannot decode " + what + ": corrupt record body (" + e + ")", e);
    }
  }
}
