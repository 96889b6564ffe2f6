package io.vigil.app.report;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.ComplianceEvidence;
import io.vigil.app.runtime.KafkaSession;
import io.vigil.reports.ComplianceReport;
import io.vigil.reports.ComplianceReportBuilder;
import io.vigil.reports.Framework;
import io.vigil.reports.ReportRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@code vigil report} runs: builds the compliance report of a framework over a period from
 * the evidence on {@code vigil.alerts} and {@code vigil.posture} (the configured cluster, or the
 * embedded broker of a running {@code vigil run} with the same {@code data.dir}), and renders it.
 */
public final class ComplianceReporting {

  /** The period of a report when no start is given: this long before its end. */
  public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

  private ComplianceReporting() {}

  /**
   * The report of {@code framework} (one of {@link Framework#IDS}) from {@code start} to {@code
   * end}, with the evidence read from the configured cluster or embedded broker.
   */
  public static ComplianceReport build(
      VigilConfig config, String framework, Instant start, Instant end)
      throws InterruptedException {
    try (KafkaSession kafka = KafkaSession.open(config)) {
      ComplianceEvidence evidence =
          ComplianceEvidence.read(kafka.connection(), kafka.topics(), config);
      return new ComplianceReportBuilder(evidence.enabledRules())
          .build(Framework.load(framework), start, end, evidence.alerts(), evidence.posture());
    }
  }

  /** Renders the report into a file, replacing it. */
  public static void write(ComplianceReport report, ReportRenderer renderer, Path output)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(output)) {
      renderer.render(report, out);
    }
  }
}
