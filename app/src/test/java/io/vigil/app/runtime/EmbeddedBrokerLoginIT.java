package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.config.VigilConfig;
import io.vigil.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker of {@code vigil run} and of the one-shot commands takes only the clients that
 * log in with the credentials in its {@code data.dir}: Vigil's own, found through {@link
 * KafkaSession}, and no other local user's.
 */
class EmbeddedBrokerLoginIT {

  // A refused client never gets an answer: a bound for its calls, not a measured duration.
  private static final int REFUSED_CALL_MS = 5_000;

  @TempDir Path dataDir;

  @Test
  void localClientWithoutCredentialsCannotWriteATombstoneOverAnAlert() throws Exception {
    try (VigilRuntime runtime = VigilRuntime.start(config(), PipelineComponents.all())) {
      String bootstrap = EmbeddedKafkaBroker.runningOn(dataDir).orElseThrow().bootstrapServers();
      Map<String, Object> plain = refusedClient(bootstrap);
      plain.put("max.block.ms", REFUSED_CALL_MS);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(plain, new StringSerializer(), new StringSerializer())) {
        assertThatThrownBy(
                () ->
                    producer
                        .send(new ProducerRecord<>("vigil.alerts", "some-dedup-key", null))
                        .get())
            .isInstanceOfAny(ExecutionException.class, TimeoutException.class);
      }
      try (Admin admin = Admin.create(refusedClient(bootstrap))) {
        assertThatThrownBy(() -> admin.listTopics().names().get())
            .isInstanceOf(ExecutionException.class);
      }
    }
  }

  @Test
  void commandOnTheSameDataDirLogsInWithoutAnySetting() throws Exception {
    try (VigilRuntime runtime = VigilRuntime.start(config(), PipelineComponents.all())) {
      KafkaConnection attached = KafkaSession.attach(config()).orElseThrow().connection();
      assertThat(attached.embedded()).isTrue();
      try (Admin admin = Admin.create(attached.clientProperties())) {
        assertThat(admin.listTopics().names().get()).contains("vigil.alerts", "vigil.dlq");
      }
      String jaas = attached.clientSettings().get("sasl.jaas.config");
      assertThat(jaas).contains("password=");
      assertThat(attached.toString()).contains("sasl.jaas.config").doesNotContain(jaas);
      assertThat(runtime.kafka().clientSettings()).containsAllEntriesOf(attached.clientSettings());
    }
  }

  @Test
  void oneShotCommandStartsAnAuthenticatedBrokerAndLogsIn() throws Exception {
    // KafkaSession.open created Vigil's topics through an Admin with the credentials
    try (KafkaSession session = KafkaSession.open(config())) {
      String bootstrap = session.connection().bootstrapServers();
      try (Admin admin = Admin.create(refusedClient(bootstrap))) {
        assertThatThrownBy(() -> admin.listTopics().names().get())
            .isInstanceOf(ExecutionException.class);
      }
      try (Admin admin = Admin.create(session.connection().clientProperties())) {
        assertThat(admin.listTopics().names().get()).contains("vigil.alerts");
      }
    }
  }

  @Test
  void settingsForAnExternalClusterAreLeftAsConfigured() {
    Map<String, String> flags = new HashMap<>(Map.of("data.dir", dataDir.toString()));
    flags.put("kafka.bootstrap.servers", "kafka.example:9092");
    flags.put("kafka.security.protocol", "SSL");
    KafkaConnection connection =
        KafkaSession.attach(VigilConfig.load(Optional.empty(), Map.of(), flags))
            .orElseThrow()
            .connection();
    assertThat(connection.embedded()).isFalse();
    assertThat(connection.clientSettings()).isEqualTo(Map.of("security.protocol", "SSL"));
  }

  private VigilConfig config() {
    return VigilConfig.load(
        Optional.empty(),
        Map.of("VIGIL_RUN_COMPONENTS", "alert-view"),
        Map.of(
            "data.dir", dataDir.toString(),
            "kafka.embedded.port", "0",
            "http.port", "0",
            "http.host", "127.0.0.1",
            "topics.partitions", "1"));
  }

  private static Map<String, Object> refusedClient(String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("default.api.timeout.ms", REFUSED_CALL_MS);
    props.put("request.timeout.ms", REFUSED_CALL_MS);
    return props;
  }
}
