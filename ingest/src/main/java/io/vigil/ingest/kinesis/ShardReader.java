package io.vigil.ingest.kinesis;

import io.vigil.ingest.aws.AwsCallException;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.ingest.kinesis.ShardLineage.ShardStart;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.GroupFence;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.UnitBody;
import io.vigil.ingest.publish.UnitPublisher;
import io.vigil.schemas.DeadLetters;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads one shard, one GetRecords call per {@link #poll}: the call's records are decoded and
 * published as one unit whose checkpoint is the last record's sequence number, and only then does
 * the reader move on. The reader never sleeps: {@link #poll} says how long to wait before the next
 * call, so a small shared scheduler serves many shards, and tests step through it with no clock.
 *
 * <p>Failures never lose the batch in hand: throttling ({@code ProvisionedThroughputExceeded},
 * {@code LimitExceeded}, KMS throttling), other AWS errors and publish failures are retried with
 * {@link Backoff}; an expired iterator is replaced at once, after the last published sequence
 * number. Not thread-safe: one poll at a time.
 */
final class ShardReader {

  private static final Logger log = LoggerFactory.getLogger(ShardReader.class);

  /** What the caller does next. */
  enum Outcome {
    /** Poll again after {@link Step#delay}. */
    CONTINUE,
    /** The shard was read to its end and that checkpoint is committed. */
    ENDED,
    /** The shard is gone (stream deleted, shard unknown); nothing was committed for it. */
    ABANDONED,
    /** The shard is another instance's now; the batch in hand was not published. */
    RELEASED
  }

  /** The result of one poll. */
  record Step(Outcome outcome, Duration delay) {

    static final Step ENDED = new Step(Outcome.ENDED, Duration.ZERO);
    static final Step ABANDONED = new Step(Outcome.ABANDONED, Duration.ZERO);
    static final Step RELEASED = new Step(Outcome.RELEASED, Duration.ZERO);

    static Step after(Duration delay) {
      return new Step(Outcome.CONTINUE, delay);
    }
  }

  /** A fetched batch not yet published, kept across publish retries. */
  private record Batch(List<Record> records, String nextIterator, Long millisBehindLatest) {}

  private final KinesisClient kinesis;
  private final KinesisSettings settings;
  private final String shardId;
  private final ShardIteratorType startType;
  private final UnitPublisher publisher;
  private final LogDecoder decoder;
  private final Backoff backoff;
  private final ShardOwnership ownership;
  private final String checkpointKey;

  private String iterator;
  private String lastSequence;
  private Batch pending;
  private int failures;
  private String operation;
  private String callFailure;

  ShardReader(
      KinesisClient kinesis,
      KinesisSettings settings,
      ShardStart start,
      UnitPublisher publisher,
      LogDecoder decoder,
      Backoff backoff) {
    this(kinesis, settings, start, publisher, decoder, backoff, ShardOwnership.EVERY_SHARD);
  }

  ShardReader(
      KinesisClient kinesis,
      KinesisSettings settings,
      ShardStart start,
      UnitPublisher publisher,
      LogDecoder decoder,
      Backoff backoff,
      ShardOwnership ownership) {
    this.kinesis = kinesis;
    this.ownership = ownership;
    this.settings = settings;
    this.shardId = start.shardId();
    this.startType = start.type();
    this.lastSequence = start.sequenceNumber();
    this.publisher = publisher;
    this.decoder = decoder;
    this.backoff = backoff;
    this.checkpointKey = ShardLineage.checkpointKey(settings.stream(), shardId);
  }

  String shardId() {
    return shardId;
  }

  /**
   * Why this reader's last Kinesis call failed (not throttled: failed), naming the endpoint, the
   * operation and the shard; empty once a call succeeds.
   */
  Optional<String> callFailure() {
    return Optional.ofNullable(callFailure);
  }

  /** One GetRecords call and the publication of its records. */
  Step poll() {
    try {
      if (pending == null) {
        if (iterator == null) {
          operation = "GetShardIterator";
          iterator = freshIterator();
        }
        operation = "GetRecords";
        GetRecordsResponse response =
            kinesis.getRecords(r -> r.shardIterator(iterator).limit(settings.maxRecordsPerCall()));
        callFailure = null;
        pending =
            new Batch(
                response.records(), response.nextShardIterator(), response.millisBehindLatest());
      }
      Batch batch = pending;
      boolean end = batch.nextIterator() == null;
      if (!batch.records().isEmpty() || end) {
        Optional<GroupFence> fence = ownership.fence(shardId);
        if (ownership.shared() && fence.isEmpty()) {
          log.info(
              "Kinesis shard {}/{} went to another instance; it resumes there after {}",
              settings.stream(),
              shardId,
              lastSequence == null ? "its start" : lastSequence);
          pending = null;
          return Step.RELEASED;
        }
        publish(batch, end, fence);
      }
      pending = null;
      iterator = batch.nextIterator();
      failures = 0;
      if (end) {
        log.info("Kinesis shard {}/{} read to its end", settings.stream(), shardId);
        return Step.ENDED;
      }
      boolean caughtUp =
          batch.records().isEmpty()
              || (batch.millisBehindLatest() != null && batch.millisBehindLatest() == 0);
      // Behind: read on at once; GetRecords' own limit (5 calls/s per shard) throttles, and
      // throttling backs off.
      return Step.after(caughtUp ? settings.pollInterval() : Duration.ZERO);
    } catch (ExpiredIteratorException e) {
      iterator = null;
      failures++;
      // The first expiry is normal after a long publish retry; only repeated ones wait.
      return Step.after(failures == 1 ? Duration.ZERO : backoff.delay(failures - 1));
    } catch (ProvisionedThroughputExceededException
        | LimitExceededException
        | KmsThrottlingException e) {
      return retry("throttled", e);
    } catch (ResourceNotFoundException e) {
      log.warn(
          "Kinesis shard {}/{} not found, leaving it to the next listing: {}",
          settings.stream(),
          shardId,
          e.getMessage());
      return Step.ABANDONED;
    } catch (SdkException e) {
      callFailure =
          AwsCallException.of(
                  AwsService.KINESIS,
                  operation,
                  kinesis,
                  "shard " + settings.stream() + "/" + shardId,
                  e)
              .getMessage();
      return retry("call failed", callFailure);
    } catch (PublishException e) {
      return retry("publish failed", e);
    } catch (RuntimeException e) {
      // A bug in a decoder or publisher: the shard must not stop silently in the scheduler.
      return retry("unexpected failure", e);
    }
  }

  private Step retry(String what, Exception e) {
    return retry(what, e.toString());
  }

  private Step retry(String what, String why) {
    failures++;
    Duration delay = backoff.delay(failures);
    if (failures == 1 || failures % 10 == 0) {
      log.warn(
          "Kinesis shard {}/{}: {} ({} in a row), retrying in {} ms: {}",
          settings.stream(),
          shardId,
          what,
          failures,
          delay.toMillis(),
          why);
    }
    return Step.after(delay);
  }

  private String freshIterator() {
    if (lastSequence != null) {
      return kinesis
          .getShardIterator(
              r ->
                  r.streamName(settings.stream())
                      .shardId(shardId)
                      .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                      .startingSequenceNumber(lastSequence))
          .shardIterator();
    }
    return kinesis
        .getShardIterator(
            r -> r.streamName(settings.stream()).shardId(shardId).shardIteratorType(startType))
        .shardIterator();
  }

  private void publish(Batch batch, boolean end, Optional<GroupFence> fence)
      throws PublishException {
    List<Record> records = batch.records();
    String version =
        records.isEmpty() ? lastSequence : records.get(records.size() - 1).sequenceNumber();
    Map<String, String> attributes = new HashMap<>();
    if (!records.isEmpty()) {
      Instant arrival = records.get(records.size() - 1).approximateArrivalTimestamp();
      if (arrival != null) {
        attributes.put("last_arrival", arrival.toString());
      }
    }
    if (end) {
      attributes.put(ShardLineage.SHARD_END, "true");
    }
    // A shard that ends without ever holding a record has no sequence number to name.
    Checkpoint checkpoint =
        new Checkpoint(checkpointKey, version == null ? "" : version, records.size(), attributes);
    UnitBody body =
        writer -> {
          for (Record record : records) {
            SourceRef source =
                SourceRef.kinesis(settings.stream(), shardId, record.sequenceNumber());
            byte[] data = record.data().asByteArrayUnsafe();
            Optional<List<byte[]>> packed;
            try {
              packed = KplAggregate.unpack(data);
            } catch (KplAggregate.MalformedAggregateException e) {
              writer.rejected(
                  DeadLetters.rejectedInput(
                      "kpl_aggregate_malformed",
                      e.getMessage(),
                      source.type(),
                      source.location(),
                      data,
                      "ingest.kinesis",
                      Map.of(),
                      Instant.now()));
              continue;
            }
            if (packed.isEmpty()) {
              decoder.decode(new ByteArrayInputStream(data), source, writer);
              continue;
            }
            // Each user record of a KPL aggregate is decoded on its own, at its sub-sequence
            // number.
            List<byte[]> userRecords = packed.get();
            for (int i = 0; i < userRecords.size(); i++) {
              decoder.decode(
                  new ByteArrayInputStream(userRecords.get(i)),
                  SourceRef.kinesis(settings.stream(), shardId, record.sequenceNumber() + "/" + i),
                  writer);
            }
          }
        };
    if (fence.isPresent()) {
      publisher.publish(checkpoint, body, fence.get());
    } else {
      publisher.publish(checkpoint, body);
    }
    lastSequence = version;
  }
}
