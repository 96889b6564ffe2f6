package io.vigil.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Any of Vigil's records as plain JSON for the HTTP API: field names as in the schema, union values
 * unwrapped (not Avro's {@code {"string": ...}}), enums as their names, timestamps as ISO-8601,
 * bytes as base64, map keys sorted.
 */
public final class RecordJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RecordJson() {}

  public static ObjectNode toJson(SpecificRecord record) {
    ObjectNode json = NODES.objectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      json.set(field.name(), value(record.get(field.pos())));
    }
    return json;
  }

  private static JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof SpecificRecord record) {
      return toJson(record);
    }
    if (value instanceof CharSequence || value instanceof Enum<?>) {
      return NODES.textNode(value.toString());
    }
    if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Float f) {
      return NODES.numberNode(f);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof ByteBuffer bytes) {
      ByteBuffer copy = bytes.duplicate();
      byte[] raw = new byte[copy.remaining()];
      copy.get(raw);
      return NODES.textNode(Base64.getEncoder().encodeToString(raw));
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(item -> array.add(value(item)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      new TreeMap<>(map).forEach((k, v) -> object.set(k.toString(), value(v)));
      return object;
    }
    return NODES.textNode(value.toString());
  }
}
