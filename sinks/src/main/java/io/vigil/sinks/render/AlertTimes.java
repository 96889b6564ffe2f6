package io.vigil.sinks.render;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The alert's ISO-8601 times as instants, with an error that names the field when one is malformed.
 */
final class AlertTimes {

  private AlertTimes() {}

  static Instant parse(String field, String value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + " is not an ISO-8601 UTC time: '" + value + "'", e);
    }
  }
}
