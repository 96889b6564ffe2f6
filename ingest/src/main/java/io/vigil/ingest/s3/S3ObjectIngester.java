package io.vigil.ingest.s3;

import io.vigil.ingest.aws.AwsCallException;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.RejectReason;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.PublishResult;
import io.vigil.ingest.publish.UnitPublisher;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SourceType;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Publishes one S3 object as one unit (checkpoint key {@code s3://bucket/key}, version its ETag),
 * streaming it from {@code GetObject} into the decoder. An object already committed with the same
 * ETag is not read again; one overwritten since (a new ETag) is published again. Shared by the
 * SQS-driven source and the backfill.
 *
 * <p>An object that no longer exists ({@code NoSuchKey}: deleted or expired after it was announced
 * or listed) is a dead letter with reason {@link RejectReason#OBJECT_MISSING} and its {@code
 * s3://bucket/key}, committed as a unit of its own ({@code s3://bucket/key#missing}, version the
 * announced ETag), so that a redelivered notification records it once, and the object's own
 * checkpoint is left as it was. It is counted as a rejection by the ingest metrics ({@code
 * vigil_ingest_rejects_total{source="s3",reason="object-missing"}}).
 *
 * <p>Flow records without a {@code region} field (the flow log format did not include it) get the
 * region of the key's layout ({@code .../vpcflowlogs/<region>/...}, {@code aws-region=<region>}).
 */
public final class S3ObjectIngester {

  private static final Logger log = LoggerFactory.getLogger(S3ObjectIngester.class);

  private final S3Client s3;
  private final LogDecoder decoder;
  private final UnitPublisher publisher;
  private final String component;
  private final Clock clock;

  public S3ObjectIngester(S3Client s3, LogDecoder decoder, UnitPublisher publisher) {
    this(s3, decoder, publisher, "ingest.s3");
  }

  /**
   * An ingester whose dead letters name {@code component} (e.g. {@code ingest.s3-notifications}).
   */
  public S3ObjectIngester(
      S3Client s3, LogDecoder decoder, UnitPublisher publisher, String component) {
    this(s3, decoder, publisher, component, Clock.systemUTC());
  }

  S3ObjectIngester(
      S3Client s3, LogDecoder decoder, UnitPublisher publisher, String component, Clock clock) {
    this.s3 = s3;
    this.decoder = decoder;
    this.publisher = publisher;
    this.component = component;
    this.clock = clock;
  }

  /** What became of an object. */
  public enum Status {
    /** Its records were committed now. */
    PUBLISHED,
    /** Committed before with this ETag: acknowledged without publishing again. */
    ALREADY_COMMITTED,
    /**
     * Gone before it could be read (deleted after the notification): recorded as a dead letter (the
     * outcome's result counts it), nothing else to publish.
     */
    MISSING
  }

  /** The status, and for a published object what it published and how many bytes were read. */
  public record Outcome(Status status, PublishResult result, long bytesRead) {}

  /** Whether this object, with the ETag given, is committed already (no S3 call). */
  public boolean isCommitted(S3ObjectRef object) {
    return object.eTag() != null && committedWith(object.unitKey(), object.eTag());
  }

  /**
   * Publishes the object unless it is committed with the same ETag; a missing object becomes a dead
   * letter.
   *
   * @throws IOException when reading the object fails part-way (nothing was committed; retry)
   * @throws PublishException when Kafka did not commit it, or the dead letter of a missing object
   *     (retry)
   */
  public Outcome ingest(S3ObjectRef object) throws IOException, PublishException {
    if (isCommitted(object)) {
      return new Outcome(Status.ALREADY_COMMITTED, null, 0);
    }
    ResponseInputStream<GetObjectResponse> in;
    try {
      in =
          s3.getObject(
              GetObjectRequest.builder().bucket(object.bucket()).key(object.key()).build());
    } catch (NoSuchKeyException e) {
      return missing(object);
    } catch (S3Exception e) {
      if (e.statusCode() == 404
          && e.awsErrorDetails() != null
          && "NoSuchKey".equals(e.awsErrorDetails().errorCode())) {
        return missing(object);
      }
      throw getObjectFailed(object, e);
    } catch (SdkException e) {
      throw getObjectFailed(object, e);
    }
    String eTag = S3ObjectRef.bareETag(in.response().eTag());
    if (committedWith(object.unitKey(), eTag)) {
      in.abort();
      return new Outcome(Status.ALREADY_COMMITTED, null, 0);
    }
    Checkpoint checkpoint =
        new Checkpoint(
            object.unitKey(),
            eTag,
            0,
            Map.of(
                "bucket", object.bucket(),
                "size", String.valueOf(in.response().contentLength())));
    AtomicReference<DecodeSummary> summary = new AtomicReference<>();
    Optional<String> region = S3KeyLayout.region(object.key());
    try (in) {
      PublishResult result =
          publisher.publish(
              checkpoint,
              writer -> {
                try {
                  summary.set(decoder.decode(in, object.source(), withRegion(writer, region)));
                } catch (SdkException e) {
                  throw getObjectFailed(object, e);
                }
              });
      long bytes = summary.get() == null ? 0 : summary.get().compressedBytes();
      log.debug(
          "Published {} ({}): {} records, {} rejected",
          object.unitKey(),
          eTag,
          result.records(),
          result.rejected());
      return new Outcome(Status.PUBLISHED, result, bytes);
    }
  }

  /** An IOException whose message names S3, the endpoint, GetObject and the object. */
  private IOException getObjectFailed(S3ObjectRef object, SdkException e) {
    AwsCallException failure =
        AwsCallException.of(AwsService.S3, "GetObject", s3, object.unitKey(), e);
    return new IOException(failure.getMessage(), failure);
  }

  private Outcome missing(S3ObjectRef object) throws PublishException {
    String unitKey = object.unitKey() + "#missing";
    String version = object.eTag() == null ? "unknown" : object.eTag();
    if (committedWith(unitKey, version)) {
      log.debug("{} is missing, recorded before", object.unitKey());
      return new Outcome(Status.MISSING, null, 0);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("bucket", object.bucket());
    attributes.put("key", object.key());
    if (object.eTag() != null) {
      attributes.put("etag", object.eTag());
    }
    if (object.size() >= 0) {
      attributes.put("size", String.valueOf(object.size()));
    }
    Rejected rejected =
        DeadLetters.rejectedInput(
            RejectReason.OBJECT_MISSING.code(),
            object.unitKey()
                + " no longer exists (NoSuchKey): deleted or expired after it was announced;"
                + " its records were never read",
            SourceType.s3,
            object.unitKey(),
            new byte[0],
            0,
            0,
            -1,
            component,
            attributes,
            clock.instant());
    PublishResult result =
        publisher.publish(
            new Checkpoint(unitKey, version, 0, Map.of("bucket", object.bucket())),
            writer -> writer.rejected(rejected));
    log.warn("{} no longer exists; recorded on the dead-letter topic", object.unitKey());
    return new Outcome(Status.MISSING, result, 0);
  }

  /** Gives flow records without a region the region of their key. */
  private static DecodeListener withRegion(DecodeListener writer, Optional<String> region) {
    if (region.isEmpty()) {
      return writer;
    }
    String name = region.get();
    return new DecodeListener() {
      @Override
      public void cloudTrail(CloudTrailEvent event, String position) {
        writer.cloudTrail(event, position);
      }

      @Override
      public void flow(FlowRecord record, String position) {
        if (record.getRegion() == null) {
          record.setRegion(name);
        }
        writer.flow(record, position);
      }

      @Override
      public void rejected(Rejected rejected) {
        writer.rejected(rejected);
      }
    };
  }

  private boolean committedWith(String unitKey, String eTag) {
    Optional<Checkpoint> done = publisher.committed(unitKey);
    return done.isPresent() && done.get().version().equals(eTag);
  }
}
