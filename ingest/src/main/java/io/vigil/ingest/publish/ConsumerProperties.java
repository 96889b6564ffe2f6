package io.vigil.ingest.publish;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Consumer settings made from Vigil's Kafka client settings. */
public final class ConsumerProperties {

  private ConsumerProperties() {}

  /**
   * {@code clientProperties} without the pass-through settings only a producer takes (a consumer
   * would warn about each), as a new map the caller adds its own settings to.
   */
  public static Map<String, Object> from(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props
        .keySet()
        .removeIf(
            k ->
                ProducerConfig.configNames().contains(k)
                    && !ConsumerConfig.configNames().contains(k));
    return props;
  }
}
