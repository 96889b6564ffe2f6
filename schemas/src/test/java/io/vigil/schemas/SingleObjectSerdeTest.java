package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SingleObjectSerdeTest {

  private final SingleObjectSerdeFactory factory = new SingleObjectSerdeFactory();

  @Test
  void writesTheStandardSingleObjectFormatThatAvroItselfDecodes() throws Exception {
    Alert alert = SampleRecords.alert();
    byte[] bytes = factory.valueSerde(Alert.class, "a").serializer().serialize("a", alert);

    BinaryMessageDecoder<Alert> avro = Alert.getDecoder();
    assertThat(avro.decode(bytes)).isEqualTo(alert);
    long fingerprint =
        ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint)
        .isEqualTo(
            org.apache.avro.SchemaNormalization.parsingFingerprint64(Alert.getClassSchema()));
  }

  @Test
  void unknownFingerprintIsASerializationExceptionSayingTheSchemaIsUnknown() throws Exception {
    Schema unknown =
        new Schema.Parser()
            .parse(
                Alert.getClassSchema()
                    .toString()
                    .replaceFirst(
                        "\"fields\":\\[",
                        "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},"));
    GenericRecord record = new GenericData.Record(unknown);
    unknown.getFields().forEach(f -> record.put(f.name(), sampleValue(f.schema())));
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), unknown).encode(record).array();

    assertThatThrownBy(
            () ->
                factory
                    .valueSerde(Alert.class, "vigil.alerts")
                    .deserializer()
                    .deserialize("vigil.alerts", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Alert from topic vigil.alerts")
        .hasMessageContaining("does not know");
  }

  @Test
  void recordOfAnotherTypeIsRejectedNotMisread() {
    byte[] alertBytes =
        factory.valueSerde(Alert.class, "t").serializer().serialize("t", SampleRecords.alert());

    assertThatThrownBy(
            () ->
                factory
                    .valueSerde(FlowRecord.class, "t")
                    .deserializer()
                    .deserialize("t", alertBytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("FlowRecord");
  }

  @Test
  void bytesWithoutTheHeaderAreASerializationException() {
    byte[] json = "{\"eventID\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                factory
                    .valueSerde(CloudTrailEvent.class, "t")
                    .deserializer()
                    .deserialize("t", json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not Avro single-object encoding");
  }

  @Test
  void truncatedBodyIsASerializationException() {
    byte[] bytes =
        factory
            .valueSerde(CloudTrailEvent.class, "t")
            .serializer()
            .serialize("t", SampleRecords.cloudTrailEvent());
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);

    assertThatThrownBy(
            () ->
                factory
                    .valueSerde(CloudTrailEvent.class, "t")
                    .deserializer()
                    .deserialize("t", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("corrupt record body");
  }

  @Test
  void decodesWithoutTheSerializablePackagesPropertyBecauseGeneratedClassesAreTrustedByClass() {
    ClassSecurityPredicate original = ClassSecurityValidator.getGlobal();
    try {
      // What a JVM started without -Dorg.apache.avro.SERIALIZABLE_PACKAGES trusts.
      ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
      assertThat(ClassSecurityValidator.getGlobal().isTrusted(UserIdentity.class)).isFalse();

      AvroTrust.ensureVigilClassesTrusted();

      ClassSecurityPredicate trusted = ClassSecurityValidator.getGlobal();
      assertThat(trusted.isTrusted(UserIdentity.class)).isTrue();
      assertThat(trusted.isTrusted(Severity.class)).isTrue();
      assertThat(trusted.isTrusted(SingleObjectSerdeFactory.class))
          .as("only generated types")
          .isFalse();
      SingleObjectSerdeFactory fresh = new SingleObjectSerdeFactory();
      var serde = fresh.valueSerde(CloudTrailEvent.class, "t");
      CloudTrailEvent event = SampleRecords.cloudTrailEvent();
      assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", event)))
          .isEqualTo(event);
    } finally {
      ClassSecurityValidator.setGlobal(original);
    }
  }

  private static Object sampleValue(Schema schema) {
    return switch (schema.getType()) {
      case STRING -> "x";
      case LONG -> 1L;
      case INT -> 1;
      case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(0));
      case ARRAY -> new GenericData.Array<>(0, schema);
      case MAP -> java.util.Map.of();
      case UNION -> null;
      default -> throw new IllegalArgumentException(schema.toString());
    };
  }
}
