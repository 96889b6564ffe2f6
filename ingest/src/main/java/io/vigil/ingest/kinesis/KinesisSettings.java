package io.vigil.ingest.kinesis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Kinesis source reads one stream.
 *
 * @param stream the stream name
 * @param startPosition where a shard without a committed checkpoint starts, when nothing read
 *     before decides it (a child of a shard this source read always starts at its beginning)
 * @param pollInterval the pause between GetRecords calls on a shard that is caught up
 * @param maxRecordsPerCall the GetRecords limit (1 to 10,000); one call's records are one unit
 * @param shardListInterval how often ListShards runs to discover new shards
 * @param readerThreads threads shared by all shard readers (a reader holds one only for a call)
 * @param backoffBase the first retry delay after throttling or a failed call
 * @param backoffMax the largest retry delay
 * @param aws how to reach Kinesis
 */
public record KinesisSettings(
    String stream,
    StartPosition startPosition,
    Duration pollInterval,
    int maxRecordsPerCall,
    Duration shardListInterval,
    int readerThreads,
    Duration backoffBase,
    Duration backoffMax,
    Aws aws) {

  /** GetRecords returns at most this many records per call. */
  public static final int KINESIS_MAX_RECORDS = 10_000;

  /** Where a shard with no checkpoint starts. */
  public enum StartPosition {
    /** The oldest record the stream still retains: nothing retained is missed. */
    TRIM_HORIZON,
    /**
     * Only records added after the reader started; closed shards with no checkpoint are skipped.
     */
    LATEST
  }

  /**
   * The AWS client: the region (else the SDK's default region chain) and an endpoint override (a
   * VPC endpoint, an emulator). Credentials always come from the SDK's default chain.
   */
  public record Aws(Optional<String> region, Optional<URI> endpointOverride) {

    public static final Aws DEFAULTS = new Aws(Optional.empty(), Optional.empty());

    public Aws {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(endpointOverride, "endpointOverride");
    }
  }

  public KinesisSettings {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(startPosition, "startPosition");
    Objects.requireNonNull(aws, "aws");
    if (stream.isBlank()) {
      throw new IllegalArgumentException("Kinesis stream name must not be blank");
    }
    requirePositive(pollInterval, "pollInterval");
    requirePositive(shardListInterval, "shardListInterval");
    requirePositive(backoffBase, "backoffBase");
    requirePositive(backoffMax, "backoffMax");
    if (backoffMax.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException("backoffMax must not be below backoffBase");
    }
    if (maxRecordsPerCall < 1 || maxRecordsPerCall > KINESIS_MAX_RECORDS) {
      throw new IllegalArgumentException(
          "maxRecordsPerCall must be 1 to " + KINESIS_MAX_RECORDS + ", was " + maxRecordsPerCall);
    }
    if (readerThreads < 1) {
      throw new IllegalArgumentException("readerThreads must be at least 1");
    }
  }

  /**
   * Defaults for {@code stream}: from the trim horizon, a 1 s poll when caught up, 1,000 records a
   * unit (a Kafka transaction stays small), shards re-listed every 30 s, 4 reader threads, retries
   * from 200 ms up to 30 s, the default region and endpoint.
   */
  public static KinesisSettings forStream(String stream) {
    return new KinesisSettings(
        stream,
        StartPosition.TRIM_HORIZON,
        Duration.ofSeconds(1),
        1_000,
        Duration.ofSeconds(30),
        4,
        Duration.ofMillis(200),
        Duration.ofSeconds(30),
        Aws.DEFAULTS);
  }

  public KinesisSettings withStartPosition(StartPosition position) {
    return new KinesisSettings(
        stream,
        position,
        pollInterval,
        maxRecordsPerCall,
        shardListInterval,
        readerThreads,
        backoffBase,
        backoffMax,
        aws);
  }

  public KinesisSettings withPollInterval(Duration interval) {
    return new KinesisSettings(
        stream,
        startPosition,
        interval,
        maxRecordsPerCall,
        shardListInterval,
        readerThreads,
        backoffBase,
        backoffMax,
        aws);
  }

  public KinesisSettings withMaxRecordsPerCall(int max) {
    return new KinesisSettings(
        stream,
        startPosition,
        pollInterval,
        max,
        shardListInterval,
        readerThreads,
        backoffBase,
        backoffMax,
        aws);
  }

  public KinesisSettings withShardListInterval(Duration interval) {
    return new KinesisSettings(
        stream,
        startPosition,
        pollInterval,
        maxRecordsPerCall,
        interval,
        readerThreads,
        backoffBase,
        backoffMax,
        aws);
  }

  public KinesisSettings withReaderThreads(int threads) {
    return new KinesisSettings(
        stream,
        startPosition,
        pollInterval,
        maxRecordsPerCall,
        shardListInterval,
        threads,
        backoffBase,
        backoffMax,
        aws);
  }

  public KinesisSettings withBackoff(Duration base, Duration max) {
    return new KinesisSettings(
        stream,
        startPosition,
        pollInterval,
        maxRecordsPerCall,
        shardListInterval,
        readerThreads,
        base,
        max,
        aws);
  }

  public KinesisSettings withRegion(String region) {
    return withAws(new Aws(Optional.of(region), aws.endpointOverride()));
  }

  public KinesisSettings withEndpointOverride(URI endpoint) {
    return withAws(new Aws(aws.region(), Optional.of(endpoint)));
  }

  public KinesisSettings withAws(Aws client) {
    return new KinesisSettings(
        stream,
        startPosition,
        pollInterval,
        maxRecordsPerCall,
        shardListInterval,
        readerThreads,
        backoffBase,
        backoffMax,
        client);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }
}
