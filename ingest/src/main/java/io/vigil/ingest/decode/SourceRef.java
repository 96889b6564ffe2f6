package io.vigil.ingest.decode;

import io.vigil.schemas.SourceType;

/**
 * Where a stream of bytes came from, as it will be written on a DLQ record and in checkpoints:
 * {@code s3://bucket/key}, {@code kinesis://stream/shardId/sequenceNumber} (with {@code /index} for
 * a user record of a KPL aggregate), {@code file:/path}. Decoders append the position inside it
 * ({@code #line=12}, {@code #record=3}).
 */
public record SourceRef(SourceType type, String location) {

  public static SourceRef file(java.nio.file.Path path) {
    return new SourceRef(SourceType.file, "file:" + path.toAbsolutePath().normalize());
  }

  public static SourceRef s3(String bucket, String key) {
    return new SourceRef(SourceType.s3, "s3://" + bucket + "/" + key);
  }

  public static SourceRef kinesis(String stream, String shardId, String sequenceNumber) {
    return new SourceRef(
        SourceType.kinesis, "kinesis://" + stream + "/" + shardId + "/" + sequenceNumber);
  }

  /** This source with a position inside it, e.g. {@code at("line", 12)}. */
  public String at(String unit, long position) {
    return location + "#" + unit + "=" + position;
  }
}
