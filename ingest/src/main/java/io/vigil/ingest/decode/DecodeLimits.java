package io.vigil.ingest.decode;

/**
 * Bounds that protect the process from hostile or broken input: the largest single record ({@code
 * ingest.max.record.bytes}, default 1 MiB) and the largest decompressed object ({@code
 * ingest.max.object.bytes}, default 1 GiB; counted while streaming, against gzip bombs).
 */
public record DecodeLimits(long maxRecordBytes, long maxObjectBytes) {

  public static final DecodeLimits DEFAULTS = new DecodeLimits(1L << 20, 1L << 30);

  public DecodeLimits {
    if (maxRecordBytes <= 0 || maxObjectBytes <= 0) {
      throw new IllegalArgumentException("decode limits must be positive");
    }
  }
}
