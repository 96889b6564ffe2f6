package io.vigil.app.scan;

import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.Alert;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.UntrustedText;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.OfflineDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Offline detection over files, without a broker: what {@code vigil scan} runs. Files go through
 * the same rule engine, correlation windows and alert suppression as the pipeline (the {@link
 * OfflineDetector}); with more than one thread, {@link ScanWorkers} decode ahead and one thread
 * applies the stateful steps in file order, so the output does not depend on the thread count.
 */
public final class OfflineScan {

  private OfflineScan() {}

  /**
   * Scans the files in order, printing alerts to {@code out} and rejections to {@code err}: every
   * publication as it happens when {@code updates}, else each alert once, its last publication, at
   * the end (in the order the alerts first appeared). With {@code threads} 1, everything happens on
   * this thread; with more, that many {@link ScanWorkers} decode ahead (within {@code bounds}), the
   * rules are evaluated by them or by this thread, and this thread does the rest in the same order,
   * so the output is the same.
   */
  public static Totals scan(
      DetectionEngine engine,
      DetectionSettings settings,
      LogDecoder decoder,
      List<Path> files,
      Function<Alert, String> render,
      boolean updates,
      int threads,
      ScanWorkers.Bounds bounds,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    Totals totals = new Totals(System.nanoTime());
    Map<String, Alert> latest = new LinkedHashMap<>();
    OfflineDetector detector =
        new OfflineDetector(
            engine,
            settings,
            alert -> {
              if (updates) {
                out.println(render.apply(alert));
              } else {
                latest.put(alert.getDedupKey(), alert);
              }
            });
    DetectorFeed feed =
        new DetectorFeed(
            detector,
            rejected -> {
              totals.rejected++;
              // File names and messages quote the logs: escaped, so that they cannot forge
              // lines or drive the terminal.
              err.println(
                  UntrustedText.forLine(
                      "rejected "
                          + rejected.getSourceLocation()
                          + ": "
                          + rejected.getReason()
                          + ": "
                          + rejected.getMessage()));
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
        workers.scan(
            files,
            new ScanWorkers.Receiver() {
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

  public static List<Path> files(List<Path> paths) throws IOException {
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
  public static final class Totals {
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

    Totals(long started) {
      this.started = started;
    }

    void read(DecodeSummary summary) {
      files++;
      bytes += summary.compressedBytes();
    }

    void unreadable(Path file, IOException cause, PrintWriter err) {
      unreadable++;
      err.println(UntrustedText.forLine("unreadable " + file + ": " + cause.getMessage()));
    }

    /** Records decoded and fed to the detector. */
    public long records() {
      return records;
    }

    /** Records dropped as duplicates of an earlier one. */
    public long duplicates() {
      return duplicates;
    }

    /** One line for stderr: what was read, rejected and found, and how fast. */
    public String summary() {
      double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
      String found =
          alerts < 0
              ? publications + " alert publications"
              : alerts + " alerts (" + publications + " publications)";
      return String.format(
          "scanned %d files (%d unreadable), %d records (%.0f/s, %.1f MB/s), %d rejected, "
              + "%d duplicates dropped, %d late for correlations, %s in %.1f s",
          files,
          unreadable,
          records,
          records / seconds,
          bytes / 1e6 / seconds,
          rejected,
          duplicates,
          late,
          found,
          seconds);
    }
  }
}
