package io.vigil.ingest.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * Turns the bytes of one log object (an S3 object, a Kinesis record, a file) into CloudTrail events
 * or flow records, streaming: a record at a time, never the whole object in memory. The format and
 * compression are recognised by content. Used by every ingest source and by the offline scan.
 */
public interface LogDecoder {

  /**
   * Decodes everything in {@code in}, passing records and rejections to {@code listener} in order.
   * Bad content never throws: it becomes {@link DecodeListener#rejected} records.
   *
   * @throws IOException only when reading the underlying stream itself fails (a network error while
   *     reading an S3 object), so that the caller can retry the whole object
   */
  DecodeSummary decode(InputStream in, SourceRef source, DecodeListener listener)
      throws IOException;
}
