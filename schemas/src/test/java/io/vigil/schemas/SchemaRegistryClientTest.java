package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry client and wire-format serde against {@link SchemaRegistryStandIn}. */
class SchemaRegistryClientTest {

  private SchemaRegistryStandIn registry;

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void registersOnFirstSerializeAndCachesTheIdAfterwards() throws IOException {
    registry = SchemaRegistryStandIn.start();
    Serde<Alert> serde = factory(Map.of()).valueSerde(Alert.class, "vigil.alerts");

    byte[] first = serde.serializer().serialize("vigil.alerts", SampleRecords.alert());
    int afterFirst = registry.requestCount();
    byte[] second = serde.serializer().serialize("vigil.alerts", SampleRecords.alert());

    assertThat(afterFirst).isEqualTo(1);
    assertThat(registry.requestCount()).as("second serialize makes no HTTP call").isEqualTo(1);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void deserializeFetchesTheWriterSchemaOnceById() throws IOException {
    registry = SchemaRegistryStandIn.start();
    int id = registry.registerDirectly("vigil.alerts-value", Alert.getClassSchema());
    Serde<Alert> serde =
        factory(Map.of("schema.registry.auto.register", "false"))
            .valueSerde(Alert.class, "vigil.alerts");
    byte[] bytes = serde.serializer().serialize("vigil.alerts", SampleRecords.alert());
    // A different client instance, as in a consumer process, knows nothing yet.
    Serde<Alert> consumer = factory(Map.of()).valueSerde(Alert.class, "vigil.alerts");
    int before = registry.requestCount();

    consumer.deserializer().deserialize("vigil.alerts", bytes);
    consumer.deserializer().deserialize("vigil.alerts", bytes);

    assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(registry.requestCount() - before).isEqualTo(1);
  }

  @Test
  void decodesDataWrittenWithAnOlderSchemaIntoTheCurrentClass() throws IOException {
    registry = SchemaRegistryStandIn.start();
    // An older Aggregate that lacked the optional "top" field.
    Schema older = withoutField(Aggregate.getClassSchema(), "top");
    assertThat(older.getField("top")).isNull();
    int id = registry.registerDirectly("vigil.aggregates-value", older);
    org.apache.avro.generic.GenericRecord old =
        new org.apache.avro.generic.GenericData.Record(older);
    old.put("name", "cloudtrail.events_by_name");
    old.put("dimensions", Map.of("eventName", "StopLogging"));
    old.put("window_start", 0L);
    old.put("window_end", 300_000L);
    old.put("count", 3L);
    old.put("sum", null);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
    var encoder = org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
    new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(older)
        .write(old, encoder);

    Aggregate read =
        factory(Map.of())
            .valueSerde(Aggregate.class, "vigil.aggregates")
            .deserializer()
            .deserialize("vigil.aggregates", out.toByteArray());

    assertThat(read.getCount()).isEqualTo(3L);
    assertThat(read.getTop()).isNull();
    assertThat(read.getWindowEnd()).isEqualTo(java.time.Instant.ofEpochMilli(300_000L));
  }

  @Test
  void sendsBasicAuthWhenConfigured() throws IOException {
    registry = SchemaRegistryStandIn.startWithBasicAuth("vigil:s3cret");
    Serde<Rejected> serde =
        factory(Map.of("schema.registry.basic.auth.user.info", "vigil:s3cret"))
            .valueSerde(Rejected.class, "vigil.dlq");

    byte[] bytes = serde.serializer().serialize("vigil.dlq", SampleRecords.rejected());

    assertThat(serde.deserializer().deserialize("vigil.dlq", bytes))
        .isEqualTo(SampleRecords.rejected());
    assertThat(registry.authorizationHeaders())
        .first()
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("vigil:s3cret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void unauthorizedIsSurfacedClearlyWithoutTheCredentials() throws IOException {
    registry = SchemaRegistryStandIn.startWithBasicAuth("vigil:s3cret");
    Serde<Rejected> serde =
        factory(Map.of("schema.registry.basic.auth.user.info", "vigil:wrong"))
            .valueSerde(Rejected.class, "vigil.dlq");

    assertThatThrownBy(() -> serde.serializer().serialize("vigil.dlq", SampleRecords.rejected()))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("vigil.dlq-value")
        .hasMessageNotContaining("wrong")
        .hasMessageNotContaining("s3cret")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(401));
  }

  @Test
  void incompatibleSchemaIsRejectedNamingTheSubjectAndTheRegistryMessage() throws IOException {
    registry = SchemaRegistryStandIn.start();
    // The subject already holds a version without "source"; the current Alert requires it with no
    // default, so it cannot read that version's data (BACKWARD).
    Schema earlier = withoutField(Alert.getClassSchema(), "source");
    registry.registerDirectly("vigil.alerts-value", earlier);
    Serde<Alert> serde = factory(Map.of()).valueSerde(Alert.class, "vigil.alerts");

    assertThatThrownBy(() -> serde.serializer().serialize("vigil.alerts", SampleRecords.alert()))
        .isInstanceOf(SchemaRegistryException.class)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'vigil.alerts-value'")
        .hasMessageContaining("incompatible")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
  }

  @Test
  void invalidSchemaIsSurfacedAs422NamingTheSubject() throws Exception {
    registry = SchemaRegistryStandIn.start();
    // The client only sends parsed schemas, so the 422 is provoked with a raw request and the
    // response goes through the client's own response handling.
    var request =
        java.net.http.HttpRequest.newBuilder(
                registry.url().resolve("/subjects/vigil.x-value/versions"))
            .header("Content-Type", SchemaRegistryClient.CONTENT_TYPE)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"schema\":\"{not avro\"}"))
            .build();
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThatThrownBy(
            () ->
                RegistryResponses.parse(
                    response.statusCode(),
                    response.body(),
                    "register a schema under subject 'vigil.x-value'",
                    registry.url().toString()))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("HTTP 422")
        .hasMessageContaining("'vigil.x-value'")
        .hasMessageContaining("Invalid schema");
  }

  @Test
  void lookupOnlyModeFailsClearlyWhenTheSchemaIsNotRegistered() throws IOException {
    registry = SchemaRegistryStandIn.start();
    Serde<Alert> serde =
        factory(Map.of("schema.registry.auto.register", "false"))
            .valueSerde(Alert.class, "vigil.alerts");

    assertThatThrownBy(() -> serde.serializer().serialize("vigil.alerts", SampleRecords.alert()))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("look up")
        .hasMessageContaining("'vigil.alerts-value'")
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void unreachableRegistryGivesAClearError() throws IOException {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      freePort = socket.getLocalPort();
    }
    SerdeFactory factory =
        SerdeFactory.fromSettings(
            Map.of(
                "schema.registry.url", "http://127.0.0.1:" + freePort,
                "schema.registry.basic.auth.user.info", "vigil:s3cret",
                "schema.registry.request.timeout.ms", "2000"));
    Serde<Alert> serde = factory.valueSerde(Alert.class, "vigil.alerts");

    assertThatThrownBy(() -> serde.serializer().serialize("vigil.alerts", SampleRecords.alert()))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("unreachable")
        .hasMessageContaining("127.0.0.1:" + freePort)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void unknownSchemaIdOnDecodeIsASerializationException() throws IOException {
    registry = SchemaRegistryStandIn.start();
    byte[] bytes = {0, 0, 0, 0, 42, 2, 'x'};

    assertThatThrownBy(
            () ->
                factory(Map.of())
                    .valueSerde(Alert.class, "vigil.alerts")
                    .deserializer()
                    .deserialize("vigil.alerts", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id 42");
  }

  @Test
  void credentialsInTheUrlNeverAppearInMessages() {
    assertThat(SchemaRegistryClient.withoutUserInfo(URI.create("https://u:pw@reg.example:8081/x/")))
        .isEqualTo("https://reg.example:8081/x/");
  }

  private static Schema withoutField(Schema schema, String field) throws IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(schema.toString());
    var fields = (com.fasterxml.jackson.databind.node.ArrayNode) json.get("fields");
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).get("name").asText().equals(field)) {
        fields.remove(i);
      }
    }
    return new Schema.Parser().parse(json.toString());
  }

  private RegistrySerdeFactory factory(Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>(extra);
    settings.put("schema.registry.url", registry.url().toString());
    return RegistrySerdeFactory.fromSettings(settings);
  }
}
