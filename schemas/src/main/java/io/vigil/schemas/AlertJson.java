package io.vigil.schemas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert as one JSON object with its snake_case field names (listed in docs/rules.md, "Alerts"):
 * the output of {@code vigil scan}, the stdout sink and the webhook's {@code alert} format. Plain
 * JSON, not Avro's JSON encoding (which wraps union values as {@code {"string": ...}}); absent
 * optional fields are {@code null}; field order follows the schema.
 */
public final class AlertJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new SimpleModule().addSerializer(Alert.class, new AlertSerializer()));

  private AlertJson() {}

  /** One line of JSON, without a trailing newline. */
  public static String toJson(Alert alert) {
    try {
      return MAPPER.writeValueAsString(alert);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render alert " + alert.getAlertId(), e);
    }
  }

  /** The mapper that knows how to write alerts, for callers that embed them in larger documents. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static final class AlertSerializer extends StdSerializer<Alert> {

    AlertSerializer() {
      super(Alert.class);
    }

    @Override
    public void serialize(Alert alert, JsonGenerator json, SerializerProvider provider)
        throws IOException {
      json.writeStartObject();
      for (var field : alert.getSchema().getFields()) {
        Object value = alert.get(field.pos());
        json.writeFieldName(field.name());
        if (value instanceof Map<?, ?> map) {
          provider.defaultSerializeValue(new TreeMap<>(map), json); // stable key order
        } else if (value instanceof Enum<?> symbol) {
          json.writeString(symbol.name());
        } else {
          provider.defaultSerializeValue(value, json);
        }
      }
      json.writeEndObject();
    }
  }
}
