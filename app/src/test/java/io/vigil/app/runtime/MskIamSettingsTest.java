package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Amazon MSK with IAM authentication, set as docs/deployment.md shows, from the environment: the
 * configuration loads, and every kind of Kafka client Vigil makes accepts the settings and logs in
 * with the bundled login module (which asks AWS for nothing until a broker asks it to
 * authenticate). No MSK here, so no connection is tried.
 */
class MskIamSettingsTest {

  private static final Map<String, String> ENV =
      Map.of(
          "VIGIL_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9",
          "VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
          "VIGIL_KAFKA_SASL_MECHANISM", "AWS_MSK_IAM",
          "VIGIL_KAFKA_SASL_JAAS_CONFIG", "software.amazon.msk.auth.iam.IAMLoginModule required;",
          "VIGIL_KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS",
              "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

  @Test
  void everyKafkaClientAcceptsTheMskIamSettings() {
    VigilConfig config = VigilConfig.load(Optional.empty(), ENV, Map.of());
    KafkaConnection kafka =
        new KafkaConnection(
            config.get(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS),
            config.passthrough("kafka."),
            false,
            null);
    Map<String, Object> props = kafka.clientProperties();
    assertThat(props)
        .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
        .containsEntry(
            "sasl.client.callback.handler.class",
            "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

    try (Admin admin = Admin.create(props)) {
      assertThat(admin).isNotNull();
    }
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.close(Duration.ZERO);
    }
    Map<String, Object> consumer = new HashMap<>(props);
    consumer.put("group.id", "msk-iam-test");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
      c.close(Duration.ZERO);
    }
    Map<String, Object> streams = new HashMap<>(props);
    streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "msk-iam-test");
    assertThat(new StreamsConfig(streams).getMainConsumerConfigs("msk-iam-test", "client", 0))
        .containsEntry("sasl.mechanism", "AWS_MSK_IAM");
  }
}
