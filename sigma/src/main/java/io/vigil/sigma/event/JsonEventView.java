package io.vigil.sigma.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * An event given as a Jackson tree in CloudTrail's JSON shape (a record of a CloudTrail file, a
 * line of a rule test file). Field paths resolve directly in the tree; the event time is {@code
 * eventTime} and the reference {@code eventID}.
 */
public final class JsonEventView implements EventView {

  private final JsonNode event;
  private String rawText;

  /** Wraps a JSON object; the tree must not change while the view is in use. */
  public JsonEventView(JsonNode event) {
    if (event == null || !event.isObject()) {
      throw new IllegalArgumentException("an event must be a JSON object");
    }
    this.event = event;
  }

  @Override
  public List<Object> values(FieldPath path) {
    List<Object> out = new ArrayList<>(1);
    JsonFieldResolver.collect(event, path, 0, out);
    return out;
  }

  @Override
  public String indexValue(String field) {
    JsonNode node = event.get(field);
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  @Override
  public String rawText() {
    if (rawText == null) {
      rawText = event.toString();
    }
    return rawText;
  }

  @Override
  public long timestampMillis() {
    JsonNode time = event.get("eventTime");
    if (time == null || !time.isTextual()) {
      return 0L;
    }
    try {
      return Instant.parse(time.textValue()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0L;
    }
  }

  @Override
  public String eventRef() {
    JsonNode id = event.get("eventID");
    return id != null && id.isTextual() ? id.textValue() : null;
  }
}
