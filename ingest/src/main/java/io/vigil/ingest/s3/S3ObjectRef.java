package io.vigil.ingest.s3;

import io.vigil.ingest.decode.SourceRef;

/**
 * One S3 object a notification or a listing names: bucket, key (decoded), and the ETag and size
 * when the notification carries them ({@code null} and -1 otherwise).
 */
public record S3ObjectRef(String bucket, String key, String eTag, long size) {

  /** The unit key of this object in checkpoints, {@code s3://bucket/key}. */
  public String unitKey() {
    return source().location();
  }

  public SourceRef source() {
    return SourceRef.s3(bucket, key);
  }

  /** ETags are quoted in S3 responses and bare in notifications; checkpoints keep them bare. */
  static String bareETag(String eTag) {
    if (eTag == null) {
      return null;
    }
    String trimmed = eTag.strip();
    return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
        ? trimmed.substring(1, trimmed.length() - 1)
        : trimmed;
  }
}
