package io.vigil.schemas;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary)
 * through any Confluent-compatible schema registry. Subjects follow TopicNameStrategy: {@code
 * <topic>-value}.
 *
 * <p>Settings: {@value #URL} (required), {@value #BASIC_AUTH_USER_INFO} ({@code user:password},
 * optional; never logged), {@value #AUTO_REGISTER} (default {@code true}; when {@code false} the
 * serializer only looks its schema up, for registries managed by a deployment pipeline), {@value
 * #TIMEOUT_MS} (default 10000).
 */
public final class RegistrySerdeFactory implements SerdeFactory {

  public static final String URL = SCHEMA_REGISTRY_URL;
  public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String AUTO_REGISTER = "schema.registry.auto.register";
  public static final String TIMEOUT_MS = "schema.registry.request.timeout.ms";

  static {
    AvroTrust.ensureVigilClassesTrusted();
  }

  private final SchemaRegistryClient client;
  private final boolean autoRegister;

  public RegistrySerdeFactory(SchemaRegistryClient client, boolean autoRegister) {
    this.client = client;
    this.autoRegister = autoRegister;
  }

  /**
   * The factory the registry settings describe; a bad setting is an IllegalArgumentException naming
   * the key.
   */
  public static RegistrySerdeFactory fromSettings(Map<String, String> settings) {
    String url = settings.get(URL);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(URL + " is required for the registry encoding");
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(URL + " is not a valid URL", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(URL + " must be an http or https URL");
    }
    boolean autoRegister = parseBoolean(settings.getOrDefault(AUTO_REGISTER, "true"));
    long timeoutMs = parseTimeout(settings.getOrDefault(TIMEOUT_MS, "10000"));
    SchemaRegistryClient client =
        new SchemaRegistryClient(
            uri,
            Optional.ofNullable(settings.get(BASIC_AUTH_USER_INFO)),
            Duration.ofMillis(timeoutMs));
    return new RegistrySerdeFactory(client, autoRegister);
  }

  @Override
  public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type, String topic) {
    String subject = valueSubject(topic);
    return Serdes.serdeFrom(
        new ConfluentWireSerializer<>(type, subject, client, autoRegister),
        new ConfluentWireDeserializer<>(type, client));
  }

  /** TopicNameStrategy's subject for a topic's values. */
  public static String valueSubject(String topic) {
    return topic + "-value";
  }

  private static boolean parseBoolean(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              AUTO_REGISTER + " must be true or false, was '" + value + "'");
    };
  }

  private static long parseTimeout(String value) {
    try {
      long ms = Long.parseLong(value.trim());
      if (ms > 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below with the key's name
    }
    throw new IllegalArgumentException(
        TIMEOUT_MS + " must be a positive number of milliseconds, was '" + value + "'");
  }
}
