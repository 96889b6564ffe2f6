package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Any byte string given to either deserializer decodes or is rejected with a {@link
 * SerializationException}, never another exception: the deserialization handler relies on this to
 * send bad records to the DLQ. Inputs are biased towards valid headers (known fingerprint, known
 * schema id) and mutated valid records, so that the Avro body decoder is exercised too.
 */
class DeserializerRobustnessTest {

  private static SchemaRegistryStandIn registry;
  private static int alertSchemaId;
  private static SerdeFactory registrySerdes;
  private static Map<Class<?>, Deserializer<?>> registryDeserializers;
  private static final Map<Class<?>, Deserializer<?>> SINGLE_OBJECT_DESERIALIZERS =
      deserializers(new SingleObjectSerdeFactory());

  @BeforeContainer
  static void startRegistry() throws IOException {
    registry = SchemaRegistryStandIn.start();
    alertSchemaId = registry.registerDirectly("vigil.alerts-value", Alert.getClassSchema());
    registry.registerDirectly("vigil.cloudtrail-value", CloudTrailEvent.getClassSchema());
    registrySerdes =
        RegistrySerdeFactory.fromSettings(Map.of("schema.registry.url", registry.url().toString()));
    registryDeserializers = deserializers(registrySerdes);
  }

  @AfterContainer
  static void stopRegistry() {
    registry.close();
  }

  @Property(tries = 1500)
  void singleObjectDeserializerDecodesOrThrowsSerializationException(
      @ForAll("singleObjectInputs") byte[] data) {
    assertDecodesOrRejects(SINGLE_OBJECT_DESERIALIZERS, data);
  }

  @Property(tries = 1000)
  void registryDeserializerDecodesOrThrowsSerializationException(
      @ForAll("registryInputs") byte[] data) {
    assertDecodesOrRejects(registryDeserializers, data);
  }

  private static void assertDecodesOrRejects(
      Map<Class<?>, Deserializer<?>> deserializers, byte[] data) {
    deserializers.forEach(
        (type, deserializer) -> {
          try {
            Object record = deserializer.deserialize("fuzz", data);
            assertThat(record).isInstanceOf(type);
          } catch (SerializationException expected) {
            assertThat(expected.getMessage()).isNotBlank();
          }
        });
  }

  private static Map<Class<?>, Deserializer<?>> deserializers(SerdeFactory factory) {
    Map<Class<?>, Deserializer<?>> all = new java.util.LinkedHashMap<>();
    for (Class<? extends SpecificRecord> type : SchemaCatalog.RECORD_TYPES) {
      all.put(type, factory.valueSerde(type, "fuzz").deserializer());
    }
    return all;
  }

  @Provide
  Arbitrary<byte[]> singleObjectInputs() {
    byte[] validAlert =
        new SingleObjectSerdeFactory()
            .valueSerde(Alert.class, "t")
            .serializer()
            .serialize("t", SampleRecords.alert());
    byte[] header = Arrays.copyOf(validAlert, 10);
    long fingerprint = SchemaNormalization.parsingFingerprint64(CloudTrailEvent.getClassSchema());
    byte[] cloudTrailHeader =
        ByteBuffer.allocate(10)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .put((byte) 0xC3)
            .put((byte) 0x01)
            .putLong(fingerprint)
            .array();
    return Arbitraries.oneOf(
        anyBytes(),
        anyBytes().map(body -> concat(header, body)),
        anyBytes().map(body -> concat(cloudTrailHeader, body)),
        mutationsOf(validAlert));
  }

  @Provide
  Arbitrary<byte[]> registryInputs() {
    byte[] validAlert =
        registrySerdes
            .valueSerde(Alert.class, "vigil.alerts")
            .serializer()
            .serialize("vigil.alerts", SampleRecords.alert());
    byte[] header = {
      0,
      (byte) (alertSchemaId >>> 24),
      (byte) (alertSchemaId >>> 16),
      (byte) (alertSchemaId >>> 8),
      (byte) alertSchemaId
    };
    return Arbitraries.oneOf(
        anyBytes(), anyBytes().map(body -> concat(header, body)), mutationsOf(validAlert));
  }

  private static Arbitrary<byte[]> anyBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }

  /** A valid encoding with one byte replaced and possibly cut short. */
  private static Arbitrary<byte[]> mutationsOf(byte[] valid) {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.integers().between(0, valid.length - 1),
            Arbitraries.bytes(),
            Arbitraries.integers().between(1, valid.length))
        .as(
            (index, value, length) -> {
              byte[] copy = valid.clone();
              copy[index] = value;
              return Arrays.copyOf(copy, length);
            });
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
