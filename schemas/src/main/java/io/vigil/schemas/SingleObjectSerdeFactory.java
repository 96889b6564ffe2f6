package io.vigil.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes in Avro single-object encoding (0xC3 0x01, the 8-byte little-endian CRC-64-AVRO
 * fingerprint of the writer schema, then Avro binary), resolved against the schemas shipped in this
 * jar: the current one and every released version. Needs no schema registry, so it is the default
 * of the embedded single-machine setup.
 */
public final class SingleObjectSerdeFactory implements SerdeFactory {

  static {
    AvroTrust.ensureVigilClassesTrusted();
  }

  @Override
  public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type, String topic) {
    return Serdes.serdeFrom(
        new SingleObjectSerializer<>(type), new SingleObjectDeserializer<>(type));
  }
}
