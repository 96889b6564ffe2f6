package io.vigil.ingest.s3;

/**
 * What a backfill reports while it runs, for the CLI to render on a terminal (or a log). Called on
 * the backfill's thread; keep it quick.
 */
public interface BackfillListener {

  /** The listing is complete: this many objects of this many bytes match. */
  default void listed(long objects, long bytes) {}

  /** After each object, whatever became of it. */
  void progress(BackfillProgress progress);

  /** An object that could not be done; the backfill goes on, and a later run retries it. */
  default void failed(S3ObjectRef object, Exception cause) {}

  /** Reports nothing. */
  BackfillListener NONE = progress -> {};
}
