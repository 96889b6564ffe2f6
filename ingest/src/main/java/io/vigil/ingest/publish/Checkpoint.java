package io.vigil.ingest.publish;

import java.util.Map;

/**
 * How far a unit of ingest got, committed with its records: {@code key} names the unit ({@code
 * s3://bucket/key}, {@code kinesis://stream/shard}, {@code file:/path}), {@code version} says which
 * version of it ({@code ETag}, last sequence number, size and mtime) and {@code records} how many
 * records it published.
 */
public record Checkpoint(String key, String version, long records, Map<String, String> attributes) {

  public Checkpoint {
    attributes = Map.copyOf(attributes);
  }

  public Checkpoint withRecords(long published) {
    return new Checkpoint(key, version, published, attributes);
  }
}
