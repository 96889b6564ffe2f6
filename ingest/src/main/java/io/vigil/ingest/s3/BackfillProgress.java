package io.vigil.ingest.s3;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a backfill stands, for a terminal line: objects listed, done (published now), skipped
 * (committed before with the same ETag), failed; records and rejections published; bytes of the
 * objects listed and of those finished; time so far.
 */
public record BackfillProgress(
    long objectsTotal,
    long objectsPublished,
    long objectsSkipped,
    long objectsFailed,
    long records,
    long rejected,
    long bytesTotal,
    long bytesFinished,
    long bytesPublished,
    Duration elapsed) {

  public long objectsFinished() {
    return objectsPublished + objectsSkipped + objectsFailed;
  }

  /** Bytes read from S3 per second by the objects published so far. */
  public double bytesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : bytesPublished / seconds;
  }

  /** Records published per second so far. */
  public double recordsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : records / seconds;
  }

  /** Time left at the rate so far; empty until something was published. */
  public Optional<Duration> eta() {
    double rate = bytesPerSecond();
    if (rate <= 0) {
      return Optional.empty();
    }
    long left = Math.max(0, bytesTotal - bytesFinished);
    return Optional.of(Duration.ofMillis((long) (left / rate * 1000)));
  }
}
