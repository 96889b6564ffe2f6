package io.vigil.app.scan;

import io.vigil.ingest.decode.DecodeListener;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.OfflineDetector;
import java.util.function.Consumer;

/**
 * Feeds what the decoder finds straight into an offline detector ({@code vigil scan}, {@code vigil
 * rules test}), counting records; rejections go to {@code onRejected}. As a {@link
 * ScanWorkers.Receiver}'s delegate it takes records evaluated beforehand by the workers. A gap the
 * decoder reports (a dead letter marked {@code gap}) also goes to the detector, which raises its
 * alert.
 */
public final class DetectorFeed implements DecodeListener {

  private final OfflineDetector detector;
  private final Consumer<Rejected> onRejected;
  private long records;

  public DetectorFeed(OfflineDetector detector, Consumer<Rejected> onRejected) {
    this.detector = detector;
    this.onRejected = onRejected;
  }

  @Override
  public void cloudTrail(CloudTrailEvent event, String position) {
    records++;
    detector.accept(event);
  }

  @Override
  public void flow(FlowRecord record, String position) {
    records++;
    detector.accept(record);
  }

  /** A CloudTrail event already evaluated by {@code detector}'s engine. */
  public void cloudTrail(CloudTrailEvent event, DetectionEngine.Evaluation evaluation) {
    records++;
    detector.accept(event, evaluation);
  }

  /** A flow record already evaluated by {@code detector}'s engine. */
  public void flow(FlowRecord record, DetectionEngine.Evaluation evaluation) {
    records++;
    detector.accept(record, evaluation);
  }

  @Override
  public void rejected(Rejected rejected) {
    onRejected.accept(rejected);
    // a gap the decoder could not read past is itself a finding
    detector.accept(rejected);
  }

  public long records() {
    return records;
  }
}
