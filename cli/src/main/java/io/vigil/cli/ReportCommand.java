package io.vigil.cli;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.report.ComplianceReporting;
import io.vigil.reports.ComplianceReport;
import io.vigil.reports.Framework;
import io.vigil.reports.ReportRenderer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vigil report --framework cis-aws|pci-dss|hipaa|soc2|gdpr [--from] [--to] [--format]}: an
 * audit-ready report from {@code vigil.alerts} and {@code vigil.posture} on the configured cluster,
 * or on the embedded broker of a running {@code vigil run} with the same {@code data.dir} (no extra
 * flags needed there). Written to {@code --output} or stdout.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Build a compliance report (json, html or pdf) from the alerts and the posture.")
public final class ReportCommand implements Callable<Integer> {

  @ParentCommand VigilCommand parent;

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Option(
      names = "--framework",
      required = true,
      paramLabel = "ID",
      description = "cis-aws, pci-dss, hipaa, soc2 or gdpr.")
  String framework;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      description = "Start of the period (ISO-8601; default: 30 days before --to).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "INSTANT",
      description = "End of the period (ISO-8601; default: now).")
  String to;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "html",
      description = "json, html (default) or pdf.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout.")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!Framework.IDS.contains(framework)) {
      throw new ParameterException(
          spec.commandLine(),
          "--framework: expected one of " + Framework.IDS + ", got '" + framework + "'");
    }
    ReportRenderer renderer;
    try {
      renderer = ReportRenderer.forFormat(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--format: expected json, html or pdf, got '" + format + "'");
    }
    Instant end = instant("--to", to, Instant.now());
    Instant start = instant("--from", from, end.minus(ComplianceReporting.DEFAULT_PERIOD));
    VigilConfig config = options.load(parent.env);
    ComplianceReport report = ComplianceReporting.build(config, framework, start, end);
    if (output != null) {
      ComplianceReporting.write(report, renderer, output);
      spec.commandLine().getErr().println("wrote " + output);
    } else {
      spec.commandLine().getOut().flush();
      renderer.render(report, System.out);
      System.out.flush();
    }
    return VigilCommand.EXIT_OK;
  }

  private Instant instant(String option, String value, Instant otherwise) {
    if (value == null) {
      return otherwise;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + ": expected an ISO-8601 instant such as 2026-11-01T00:00:00Z, got '"
              + value
              + "'");
    }
  }
}
