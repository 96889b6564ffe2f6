package io.vigil.sinks.render;

import io.vigil.schemas.Severity;
import java.util.Locale;

/**
 * Our five severities on the scales of the receivers. One place, so that an OCSF finding, a
 * Security Hub finding and a PagerDuty incident of the same alert always agree.
 */
public final class SeverityScale {

  private SeverityScale() {}

  /** OCSF {@code severity_id}: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
  public static int ocsfId(Severity severity) {
    return switch (severity) {
      case info -> 1;
      case low -> 2;
      case medium -> 3;
      case high -> 4;
      case critical -> 5;
    };
  }

  /** OCSF {@code severity}: the caption of {@link #ocsfId}. */
  public static String ocsfName(Severity severity) {
    return severity == Severity.info
        ? "Informational"
        : severity.name().substring(0, 1).toUpperCase(Locale.ROOT) + severity.name().substring(1);
  }

  /** ASFF {@code Severity.Label}: INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL. */
  public static String asffLabel(Severity severity) {
    return severity == Severity.info ? "INFORMATIONAL" : severity.name().toUpperCase(Locale.ROOT);
  }

  /**
   * PagerDuty Events v2 {@code payload.severity}, which has only four levels: ours are shifted so
   * that high pages as {@code error} and only critical as {@code critical}; low and info both
   * become {@code info}.
   */
  public static String pagerDuty(Severity severity) {
    return switch (severity) {
      case critical -> "critical";
      case high -> "error";
      case medium -> "warning";
      case low, info -> "info";
    };
  }

  /** Parses a configured severity name (case-insensitive). */
  public static Severity parse(String name) {
    try {
      return Severity.valueOf(name.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown severity '" + name + "'; expected one of info, low, medium, high, critical", e);
    }
  }
}
