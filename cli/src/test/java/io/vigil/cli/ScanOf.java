package io.vigil.cli;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.app.runtime.IngestComponents;
import io.vigil.app.scan.OfflineScan;
import io.vigil.app.scan.ScanWorkers;
import io.vigil.schemas.Alert;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What {@code vigil scan} finds in files: the expectation of the running-pipeline tests. */
final class ScanOf {

  private ScanOf() {}

  /** The final publication of each alert the scan of {@code files} raises, by dedup key. */
  static Map<String, Alert> alerts(VigilConfig config, List<Path> files)
      throws InterruptedException {
    DetectionSettings settings = DetectionConfig.settings(config, List.of());
    DetectionEngine engine = DetectionConfig.engine(config, settings, List.of());
    Map<String, Alert> alerts = new HashMap<>();
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    OfflineScan.scan(
        engine,
        settings,
        IngestComponents.decoder(config),
        files,
        alert -> {
          alerts.put(alert.getDedupKey(), alert);
          return "";
        },
        false,
        1,
        ScanWorkers.Bounds.forThreads(1),
        discard,
        discard);
    return alerts;
  }
}
