package io.vigil.deploy.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * How every Kafka client of this process reaches the cluster: the bootstrap address and the
 * {@code kafka.*} pass-through settings (TLS, SASL, ...), which are never logged because they may
 * hold credentials.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientSettings, boolean embedded) {

  public KafkaConnection {
    clientSettings = Map.copyOf(clientSettings);
  }

  /** Properties for any Kafka client: pass-through settings first, the bootstrap address last. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }

  @Override
  public String toString() {
    return (embedded ? "embedded broker at " : "Kafka cluster at ") + bootstrapServers
        + (clientSettings.isEmpty() ? "" : " with settings " + clientSettings.keySet());
  }
}
