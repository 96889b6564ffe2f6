package io.vigil.deploy.cli;

import java.util.function.Consumer;

import io.vigil.ingest.decode.DecodeListener;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.streams.detection.OfflineDetector;

/**
 * Feeds what the decoder finds straight into an offline detector ({@code vigil scan},
 * {@code vigil rules test}), counting records; rejections go to {@code onRejected}.
 */
final class DetectorFeed implements DecodeListener {

  private final OfflineDetector detector;
  private final Consumer<Rejected> onRejected;
  private long records;

  DetectorFeed(OfflineDetector detector, Consumer<Rejected> onRejected) {
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

  @Override
  public void rejected(Rejected rejected) {
    onRejected.accept(rejected);
  }

  long records() {
    return records;
  }
}
