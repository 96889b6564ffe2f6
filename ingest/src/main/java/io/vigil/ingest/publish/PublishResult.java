package io.vigil.ingest.publish;

/** What a committed unit published: good records by kind, and rejections sent to the DLQ. */
public record PublishResult(long cloudTrailEvents, long flowRecords, long rejected) {

  public long records() {
    return cloudTrailEvents + flowRecords;
  }
}
