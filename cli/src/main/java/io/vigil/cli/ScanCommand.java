package io.vigil.cli;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.app.runtime.IngestComponents;
import io.vigil.app.scan.OfflineScan;
import io.vigil.app.scan.ScanWorkers;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertJson;
import io.vigil.sinks.render.AsffRenderer;
import io.vigil.sinks.render.OcsfRenderer;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vigil scan}: offline detection over files, without a broker. Files and directories
 * (recursively, in name order) in any format the decoders accept, in any mix, go through the same
 * rule engine, correlation windows and alert suppression as the pipeline. Alerts are printed as
 * JSON lines on stdout, each once in its final state when the scan is done (or, with {@code
 * --updates}, every publication as it happens); every rejected record and a closing summary go to
 * stderr. Exit 0 when the scan completed, whatever it found; 2 on usage errors (a missing path, bad
 * configuration or rules). Files are decoded on {@code --threads} workers ({@link ScanWorkers}),
 * which also evaluate the rules when the scanning thread is behind; the output is that of a scan on
 * one thread, byte for byte.
 */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = "Scan log files offline and print alerts as JSON lines.")
public final class ScanCommand implements Callable<Integer> {

  @ParentCommand VigilCommand parent;

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Mixin UserRulesOption userRules;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "alert",
      description =
          "Output format: alert (Vigil's alert JSON), ocsf (OCSF Detection Finding) or asff"
              + " (Security Hub).")
  String format;

  @Option(
      names = "--updates",
      description =
          "Print every publication of an alert as it happens (as the pipeline would send it), "
              + "instead of each alert once, in its final state, when the scan is done.")
  boolean updates;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Worker threads that decode files ahead of the one thread that applies duplicates,"
              + " correlations and suppression in file order; the rules are evaluated by whichever"
              + " has the time (default: the available processors, here ${DEFAULT-VALUE}); 1 scans"
              + " on a single thread. The output is the same whatever N.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Log files or directories.")
  List<Path> paths;

  @Override
  public Integer call() throws Exception {
    Function<Alert, String> render =
        switch (format) {
          case "alert" -> AlertJson::toJson;
          case "ocsf" -> new OcsfRenderer(VersionInfo.vigil())::toJson;
          case "asff" -> new AsffRenderer()::toJson;
          default ->
              throw new ParameterException(
                  spec.commandLine(),
                  "--format: expected alert, ocsf or asff, got '" + format + "'");
        };
    if (threads < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--threads: expected a number of threads of at least 1, got " + threads);
    }
    VigilCommand.requireExisting(spec, paths);
    VigilConfig config = options.load(parent.env);
    DetectionSettings settings = DetectionConfig.settings(config, userRules.paths);
    DetectionEngine engine = DetectionConfig.engine(config, settings, userRules.paths);
    LogDecoder decoder = IngestComponents.decoder(config);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    OfflineScan.Totals totals =
        OfflineScan.scan(
            engine,
            settings,
            decoder,
            OfflineScan.files(paths),
            render,
            updates,
            threads,
            ScanWorkers.Bounds.forThreads(threads),
            out,
            err);
    out.flush();
    err.println(totals.summary());
    return VigilCommand.EXIT_OK;
  }
}
