package io.vigil.deploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

import io.vigil.deploy.config.VigilConfig;
import io.vigil.deploy.runtime.DetectionConfig;
import io.vigil.deploy.runtime.IngestComponents;
import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertJson;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.sinks.render.AsffRenderer;
import io.vigil.sinks.render.OcsfRenderer;
import io.vigil.streams.detection.OfflineDetector;
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
 * JSON lines on stdout, each once in its final state when the scan is done (or, with
 * {@code --updates}, every publication as it happens); every rejected record and a closing summary go to stderr. Exit 0 when the
 * scan completed, whatever it found; 2 on usage errors (a missing path, bad configuration or rules).
 * Files are decoded and evaluated on {@code --threads} workers ({@link ScanWorkers}); the output is
 * that of a scan on one thread, byte for byte.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = "Scan log files offline and print alerts as JSON lines.")
public final class ScanCommand implements Callable<Integer> {

  @ParentCommand
  VigilCommand parent;

  @Mixin
  ConfigOptions options;

  @Spec
  CommandSpec spec;

  @Option(names = "--rules", paramLabel = "DIR", description = "A directory or file of your own Sigma rules (repeatable).")
  List<Path> rules = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "alert",
      description = "Output format: alert (Vigil's alert JSON), ocsf (OCSF Detection Finding) or asff (Security Hub).")
  String format;

  @Option(names = "--updates",
      description = "Print every publication of an alert as it happens (as the pipeline would send it), "
          + "instead of each alert once, in its final state, when the scan is done.")
  boolean updates;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads that decode files and evaluate the rules ahead of the one thread that applies "
          + "duplicates, correlations and suppression in file order (default: the available processors, here "
          + "${DEFAULT-VALUE}); 1 scans on a single thread. The output is the same whatever N.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Log files or directories.")
  List<Path> paths;

  @Override
  public Integer call() throws Exception {
    Function<Alert, String> render = switch (format) {
      case "alert" -> AlertJson::toJson;
      case "ocsf" -> new OcsfRenderer(VersionInfo.vigil())::toJson;
      case "asff" -> new AsffRenderer()::toJson;
      default -> throw new ParameterException(spec.commandLine(), "--format: expected alert, ocsf or asff, got '"
          + format + "'");
    };
    if (threads < 1) {
      throw new ParameterException(spec.commandLine(), "--threads: expected a number of threads of at least 1, got "
          + threads);
    }
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new ParameterException(spec.commandLine(), "no such file or directory: " + path);
      }
    }
    VigilConfig config = options.load(parent.env);
    DetectionSettings settings = DetectionConfig.settings(config, rules);
    DetectionEngine engine = DetectionEngine.load(settings);
    LogDecoder decoder = IngestComponents.decoder(config);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    ScanTotals totals = scan(engine, settings, decoder, files(paths), render, updates, threads,
        ScanWorkers.Bounds.forThreads(threads), out, err);
    out.flush();
    err.println(totals.summary());
    return VigilCommand.EXIT_OK;
  }

  /**
   * Scans the files in order, printing alerts to {@code out} and rejections to {@code err}: every
   * publication as it happens when {@code updates}, else each alert once, its last publication, at
   * the end (in the order the alerts first appeared). With {@code threads} 1, everything happens on
   * this thread; with more, that many {@link ScanWorkers} decode and evaluate ahead (within
   * {@code bounds}) and this thread does the rest in the same order, so the output is the same.
   */
  static ScanTotals scan(DetectionEngine engine, DetectionSettings settings, LogDecoder decoder, List<Path> files,
                         Function<Alert, String> render, boolean updates, int threads, ScanWorkers.Bounds bounds,
                         PrintWriter out, PrintWriter err) throws InterruptedException {
    ScanTotals totals = new ScanTotals(System.nanoTime());
    Map<String, Alert> latest = new LinkedHashMap<>();
    OfflineDetector detector = new OfflineDetector(engine, settings, alert -> {
      if (updates) {
        out.println(render.apply(alert));
      } else {
        latest.put(alert.getDedupKey(), alert);
      }
    });
    DetectorFeed feed = new DetectorFeed(detector, rejected -> {
      totals.rejected++;
      err.println("rejected " + rejected.getSourceLocation() + ": " + rejected.getReason() + ": " + rejected.getMessage());
    });
    if (threads == 1) {
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file)) {
          totals.read(decoder.decode(in, SourceRef.file(file), feed));
        } catch (IOException e) {
          totals.unreadable(file, e, err);
        }
      }
    } else {
      try (ScanWorkers workers = new ScanWorkers(decoder, engine, threads, bounds)) {
        workers.scan(files, new ScanWorkers.Receiver() {
          @Override
          public void cloudTrail(CloudTrailEvent event, DetectionEngine.Evaluation evaluation) {
            feed.cloudTrail(event, evaluation);
          }

          @Override
          public void flow(FlowRecord record, DetectionEngine.Evaluation evaluation) {
            feed.flow(record, evaluation);
          }

          @Override
          public void rejected(Rejected rejected) {
            feed.rejected(rejected);
          }

          @Override
          public void read(Path file, DecodeSummary summary) {
            totals.read(summary);
          }

          @Override
          public void unreadable(Path file, IOException cause) {
            totals.unreadable(file, cause, err);
          }
        });
      }
    }
    detector.finish();
    latest.values().forEach(alert -> out.println(render.apply(alert)));
    totals.records = feed.records();
    totals.publications = detector.alertsEmitted();
    totals.alerts = updates ? -1 : latest.size();
    totals.late = detector.lateEvents();
    totals.duplicates = detector.duplicates();
    return totals;
  }

  static List<Path> files(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else {
        files.add(path);
      }
    }
    return files;
  }

  /** What a scan did, for the closing summary. */
  static final class ScanTotals {
    final long started;
    long files;
    long unreadable;
    long bytes;
    long records;
    long rejected;
    long alerts;
    long publications;
    long late;
    long duplicates;

    ScanTotals(long started) {
      this.started = started;
    }

    void read(DecodeSummary summary) {
      files++;
      bytes += summary.compressedBytes();
    }

    void unreadable(Path file, IOException cause, PrintWriter err) {
      unreadable++;
      err.println("unreadable " + file + ": " + cause.getMessage());
    }

    String summary() {
      double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
      String found = alerts < 0 ? publications + " alert publications"
          : alerts + " alerts (" + publications + " publications)";
      return String.format("scanned %d files (%d unreadable), %d records (%.0f/s, %.1f MB/s), %d rejected, "
              + "%d duplicates dropped, %d late for correlations, %s in %.1f s",
          files, unreadable, records, records / seconds, bytes / 1e6 / seconds, rejected, duplicates, late, found, seconds);
    }
  }
}
