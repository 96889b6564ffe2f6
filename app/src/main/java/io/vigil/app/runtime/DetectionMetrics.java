package io.vigil.app.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.schemas.Alert;
import io.vigil.streams.detection.DetectionObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The detection topology's meters:
 *
 * <ul>
 *   <li>{@code vigil.detection.late.events}: correlation events that arrived after the grace period
 *       and were not counted;
 *   <li>{@code vigil.detection.alerts}: alert publications to the alerts topic, tagged {@code
 *       rule}, {@code severity} and {@code kind} ({@code new} for an alert's first publication,
 *       {@code update} for the later ones). Rule ids are a bounded set (the loaded rules), unlike
 *       entities, accounts or addresses, which never become tags.
 * </ul>
 */
final class DetectionMetrics implements DetectionObserver {

  private final MeterRegistry registry;
  private final Counter late;
  private final Map<String, Counter> alerts = new ConcurrentHashMap<>();

  DetectionMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.late =
        Counter.builder("vigil.detection.late.events")
            .description(
                "Correlation events that arrived after the grace period and were not counted")
            .register(registry);
  }

  @Override
  public void lateEvents(long count) {
    late.increment(count);
  }

  @Override
  public void alertPublished(Alert alert) {
    String kind = alert.getUpdate() == 0 ? "new" : "update";
    String severity = alert.getSeverity().name();
    alerts
        .computeIfAbsent(
            alert.getRuleId() + "|" + severity + "|" + kind,
            k ->
                Counter.builder("vigil.detection.alerts")
                    .description(
                        "Alert publications to the alerts topic (new alerts and their updates)")
                    .tag("rule", alert.getRuleId())
                    .tag("severity", severity)
                    .tag("kind", kind)
                    .register(registry))
        .increment();
  }
}
