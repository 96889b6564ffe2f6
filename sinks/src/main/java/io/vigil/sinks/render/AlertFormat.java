package io.vigil.sinks.render;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertJson;
import java.util.Locale;
import java.util.function.BiFunction;

/** The shapes an alert leaves Vigil in: Vigil's own alert JSON, OCSF or ASFF. */
public enum AlertFormat {
  ALERT,
  OCSF,
  ASFF;

  /** Parses {@code alert}, {@code ocsf} or {@code asff} (case-insensitive). */
  public static AlertFormat parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown format '" + name + "'; expected alert, ocsf or asff", e);
    }
  }

  /**
   * The renderer of this format, as one JSON document per alert in its triage state (which Vigil's
   * alert JSON does not carry: the API has it).
   */
  public BiFunction<Alert, Workflow, String> renderer(OcsfRenderer ocsf, AsffRenderer asff) {
    return switch (this) {
      case ALERT -> (alert, workflow) -> AlertJson.toJson(alert);
      case OCSF -> ocsf::toJson;
      case ASFF -> asff::toJson;
    };
  }

  /** Whether this format has a place for an alert's triage state. */
  public boolean hasTriageState() {
    return this != ALERT;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
