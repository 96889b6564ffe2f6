package io.vigil.ingest.decode;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;

/**
 * Receives what a {@link LogDecoder} finds, one record at a time and in input order: good records
 * and, in their place, the rejected ones. Exceptions thrown here propagate out of {@link
 * LogDecoder#decode} unchanged (a publisher failure is not bad input).
 */
public interface DecodeListener {

  /**
   * A CloudTrail event; {@code position} is its location inside the source (see {@link
   * SourceRef#at}).
   */
  void cloudTrail(CloudTrailEvent event, String position);

  /** A VPC flow log record (NODATA/SKIPDATA included, flagged). */
  void flow(FlowRecord record, String position);

  /**
   * Bad input, with the reason and the exact location; every good record around it still arrives.
   */
  void rejected(Rejected rejected);
}
