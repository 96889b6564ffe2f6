package io.vigil.app.runtime;

import io.vigil.broker.EmbeddedKafkaBroker;
import io.vigil.ingest.publish.ConsumerProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How every Kafka client of this process reaches the cluster: the bootstrap address and the {@code
 * kafka.*} pass-through settings (TLS, SASL, ...), which are never logged because they may hold
 * credentials, and the name under which this process's consumers join their groups ({@code
 * group.instance.id}, static membership; {@code null} for dynamic membership).
 */
public record KafkaConnection(
    String bootstrapServers,
    Map<String, String> clientSettings,
    boolean embedded,
    String groupInstanceId) {

  /**
   * The default {@code group.instance.id} of a {@code vigil run} that starts the embedded broker.
   */
  public static final String EMBEDDED_INSTANCE_ID = "embedded";

  public KafkaConnection {
    clientSettings = Map.copyOf(clientSettings);
  }

  /**
   * The connection to the embedded broker at {@code endpoint}: the {@code kafka.*} pass-through
   * settings, then the broker's credentials, which win (the embedded broker takes no other login).
   * The only place where they join the client settings, for every client of every command.
   */
  public static KafkaConnection embedded(
      EmbeddedKafkaBroker.Endpoint endpoint,
      Map<String, String> passthrough,
      String groupInstanceId) {
    Map<String, String> settings = new HashMap<>(passthrough);
    settings.putAll(endpoint.clientSettings());
    return new KafkaConnection(endpoint.bootstrapServers(), settings, true, groupInstanceId);
  }

  /** The static group membership name, if this process uses one. */
  public Optional<String> groupInstance() {
    return Optional.ofNullable(groupInstanceId);
  }

  /** Properties for any Kafka client: pass-through settings first, the bootstrap address last. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }

  /**
   * Properties for a consumer that reads a whole topic by itself (assigned every partition, in no
   * group, committing nothing): {@code read_committed}, under {@code clientId}, without the
   * pass-through settings only a producer takes (the consumer would warn about each).
   */
  public static Map<String, Object> readerProperties(
      Map<String, Object> clientProperties, String clientId) {
    Map<String, Object> props = ConsumerProperties.from(clientProperties);
    props.remove("group.id");
    props.put("client.id", clientId);
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", false);
    return props;
  }

  @Override
  public String toString() {
    return (embedded ? "embedded broker at " : "Kafka cluster at ")
        + bootstrapServers
        + (clientSettings.isEmpty() ? "" : " with settings " + clientSettings.keySet())
        + (groupInstanceId == null ? "" : ", group instance '" + groupInstanceId + "'");
  }
}
