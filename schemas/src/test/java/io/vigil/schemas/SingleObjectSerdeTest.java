package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
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
  void writesWhatAvrosOwnEncoderWritesByteForByte() throws Exception {
    for (SpecificRecord record : SampleRecords.all()) {
      assertThat(ours(record)).as(record.getClass().getSimpleName()).isEqualTo(avros(record));
    }
  }

  @Test
  void aLargeRecordAndThreadsSharingOneSerializerChangeNoRecordsBytes() throws Exception {
    // A record over the size a thread's buffer is kept at, then small ones after it.
    CloudTrailEvent large = SampleRecords.cloudTrailEvent();
    large.setRawJson("{\"a\":\"" + "x".repeat(3 << 20) + "\"}");
    assertThat(ours(large)).isEqualTo(avros(large));
    assertThat(ours(SampleRecords.alert())).isEqualTo(avros(SampleRecords.alert()));

    var serializer = factory.valueSerde(CloudTrailEvent.class, "t").serializer();
    List<CloudTrailEvent> events = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      CloudTrailEvent event = SampleRecords.cloudTrailEvent();
      event.setEventID("event-" + i);
      event.setRawJson("{\"n\":\"" + "y".repeat(i * 97) + "\"}");
      events.add(event);
    }
    List<byte[]> expected = new ArrayList<>();
    for (CloudTrailEvent event : events) {
      expected.add(avros(event));
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> rounds = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        rounds.add(
            threads.submit(
                () -> {
                  for (int round = 0; round < 50; round++) {
                    for (int i = 0; i < events.size(); i++) {
                      int at = (i + offset * 7) % events.size();
                      if (!Arrays.equals(
                          serializer.serialize("t", events.get(at)), expected.get(at))) {
                        return false;
                      }
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> round : rounds) {
        assertThat(round.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private byte[] ours(SpecificRecord record) {
    Class type = record.getClass();
    return factory.valueSerde(type, "t").serializer().serialize("t", record);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static byte[] avros(SpecificRecord record) throws Exception {
    Class type = record.getClass();
    ByteBuffer buffer =
        new BinaryMessageEncoder<SpecificRecord>(
                SpecificData.getForClass(type), SchemaCatalog.currentSchema(type))
            .encode(record);
    return Arrays.copyOfRange(
        buffer.array(),
        buffer.arrayOffset() + buffer.position(),
        buffer.arrayOffset() + buffer.limit());
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
