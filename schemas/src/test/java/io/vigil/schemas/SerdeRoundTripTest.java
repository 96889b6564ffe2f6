package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every record type survives a round trip in both encodings, unchanged. */
class SerdeRoundTripTest {

  private static SchemaRegistryStandIn registry;

  @BeforeAll
  static void startRegistry() throws IOException {
    registry = SchemaRegistryStandIn.start();
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  static Stream<Arguments> recordsInEveryEncoding() {
    return SampleRecords.all().stream()
        .flatMap(
            r ->
                Stream.of(
                    Arguments.of("single-object", r.getClass().getSimpleName(), r),
                    Arguments.of("registry", r.getClass().getSimpleName(), r)));
  }

  @ParameterizedTest(name = "{1} in {0} encoding")
  @MethodSource("recordsInEveryEncoding")
  <T extends SpecificRecord> void recordRoundTripsUnchanged(
      String encoding, String name, T record) {
    SerdeFactory factory =
        encoding.equals("registry")
            ? RegistrySerdeFactory.fromSettings(
                java.util.Map.of(SerdeFactory.SCHEMA_REGISTRY_URL, registry.url().toString()))
            : new SingleObjectSerdeFactory();
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    Serde<T> serde = factory.valueSerde(type, "vigil.test." + name);

    byte[] bytes = serde.serializer().serialize("vigil.test." + name, record);
    T back = serde.deserializer().deserialize("vigil.test." + name, bytes);

    assertThat(back).isEqualTo(record);
    if (encoding.equals("registry")) {
      assertThat(bytes[0]).as("Confluent magic byte").isZero();
    } else {
      assertThat(bytes[0]).isEqualTo((byte) 0xC3);
      assertThat(bytes[1]).isEqualTo((byte) 0x01);
    }
  }

  @ParameterizedTest(name = "{1} in {0} encoding")
  @MethodSource("recordsInEveryEncoding")
  <T extends SpecificRecord> void nullIsATombstoneBothWays(String encoding, String name, T record) {
    SerdeFactory factory =
        encoding.equals("registry")
            ? RegistrySerdeFactory.fromSettings(
                java.util.Map.of(SerdeFactory.SCHEMA_REGISTRY_URL, registry.url().toString()))
            : new SingleObjectSerdeFactory();
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    Serde<T> serde = factory.valueSerde(type, "t");

    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }
}
