package io.vigil.schemas;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Builds the serdes of Vigil's topics. One factory per process, chosen from settings, so that every
 * component encodes the same way; components get their serdes from {@link VigilTopics} rather than
 * from here.
 *
 * <p>Deserializers of every implementation either return a record or throw {@link
 * org.apache.kafka.common.errors.SerializationException} (the deserialization handler sends the
 * record to the DLQ); serializers map {@code null} to {@code null} and back, so tombstones pass.
 */
public interface SerdeFactory {

  /** Setting that selects the registry encoding; without it values use single-object encoding. */
  String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /**
   * The serde for values of {@code type} on {@code topic} (the registry derives the subject from
   * it).
   */
  <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type, String topic);

  /** Keys are plain UTF-8 strings on every topic (docs/architecture.md, "Topics and records"). */
  default Serde<String> keySerde() {
    return Serdes.String();
  }

  /**
   * The factory the settings ask for: {@link RegistrySerdeFactory} when {@value
   * #SCHEMA_REGISTRY_URL} is set and not blank, otherwise {@link SingleObjectSerdeFactory}.
   */
  static SerdeFactory fromSettings(Map<String, String> settings) {
    String url = settings.get(SCHEMA_REGISTRY_URL);
    if (url == null || url.isBlank()) {
      return new SingleObjectSerdeFactory();
    }
    return RegistrySerdeFactory.fromSettings(settings);
  }
}
