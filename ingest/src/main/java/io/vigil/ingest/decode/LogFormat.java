package io.vigil.ingest.decode;

/** The input formats the decoders recognise by content (never by file name). */
public enum LogFormat {
  /** {@code {"Records": [...]}}, CloudTrail's S3 delivery format. */
  CLOUDTRAIL_RECORDS,
  /** A bare JSON array of CloudTrail events. */
  CLOUDTRAIL_ARRAY,
  /** One CloudTrail event per line. */
  CLOUDTRAIL_JSON_LINES,
  /** A CloudWatch Logs subscription payload ({@code messageType}, {@code logEvents}). */
  CLOUDWATCH_LOGS,
  /** VPC flow log text with a header line naming the fields. */
  VPC_FLOW_LOG,
  /** A CloudTrail digest file: recognised and skipped, not an error. */
  CLOUDTRAIL_DIGEST,
  /** Nothing usable (empty input, or input rejected as a whole). */
  NONE
}
