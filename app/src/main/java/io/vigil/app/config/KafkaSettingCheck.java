package io.vigil.app.config;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks a {@code kafka.*} passthrough value against the definitions of the Kafka clients Vigil
 * makes (producer, consumer, admin, Kafka Streams), by Kafka's own rules, so that a value Kafka
 * would refuse is a configuration error naming the key and where it was set, found at load, rather
 * than a failure of the first client made with it. A setting none of them defines passes unchecked,
 * as before (Kafka only warns about those).
 */
final class KafkaSettingCheck {

  private static final List<ConfigDef> CLIENTS =
      List.of(
          ProducerConfig.configDef(),
          ConsumerConfig.configDef(),
          AdminClientConfig.configDef(),
          StreamsConfig.configDef());

  private KafkaSettingCheck() {}

  /**
   * What is wrong with {@code value} for the Kafka setting {@code name} (without the {@code kafka.}
   * prefix), worded "expected ..., got ..."; empty when every client that defines it accepts it.
   */
  static Optional<String> problem(String name, String value) {
    for (ConfigDef client : CLIENTS) {
      ConfigDef.ConfigKey definition = client.configKeys().get(name);
      if (definition == null) {
        continue;
      }
      try {
        Object parsed = ConfigDef.parseType(name, value, definition.type);
        if (definition.validator != null) {
          definition.validator.ensureValid(name, parsed);
        }
      } catch (ConfigException e) {
        boolean secret = Secrets.looksSecret(name) || definition.type == ConfigDef.Type.PASSWORD;
        return Optional.of(
            "expected a value Kafka accepts for "
                + name
                + detail(e, name, secret)
                + ", got '"
                + (secret ? Secrets.MASK : value)
                + "'");
      }
    }
    return Optional.empty();
  }

  // Kafka words it "Invalid value <value> for configuration <name>: <why>"; only <why> is kept, so
  // that the value is printed once, and masked when secret.
  private static String detail(ConfigException e, String name, boolean secret) {
    String message = String.valueOf(e.getMessage());
    String marker = "for configuration " + name + ": ";
    int at = message.indexOf(marker);
    if (secret || at < 0) {
      return "";
    }
    return " (" + message.substring(at + marker.length()) + ")";
  }
}
