package io.vigil.ingest.s3;

import io.vigil.ingest.aws.AwsCallException;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.PublishResult;
import io.vigil.ingest.publish.UnitPublisher;
import java.io.IOException;
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

/**
 * Publishes one S3 object as one unit (checkpoint key {@code s3://bucket/key}, version its ETag),
 * streaming it from {@code GetObject} into the decoder. An object already committed with the same
 * ETag is not read again; one overwritten since (a new ETag) is published again. Shared by the
 * SQS-driven source and the backfill.
 */
public final class S3ObjectIngester {

  private static final Logger log = LoggerFactory.getLogger(S3ObjectIngester.class);

  private final S3Client s3;
  private final LogDecoder decoder;
  private final UnitPublisher publisher;

  public S3ObjectIngester(S3Client s3, LogDecoder decoder, UnitPublisher publisher) {
    this.s3 = s3;
    this.decoder = decoder;
    this.publisher = publisher;
  }

  /** What became of an object. */
  public enum Status {
    /** Its records were committed now. */
    PUBLISHED,
    /** Committed before with this ETag: acknowledged without publishing again. */
    ALREADY_COMMITTED,
    /** Gone before it could be read (deleted after the notification): nothing to publish. */
    MISSING
  }

  /** The status, and for a published object what it published and how many bytes were read. */
  public record Outcome(Status status, PublishResult result, long bytesRead) {}

  /** Whether this object, with the ETag given, is committed already (no S3 call). */
  public boolean isCommitted(S3ObjectRef object) {
    return object.eTag() != null && committedWith(object.unitKey(), object.eTag());
  }

  /**
   * Publishes the object unless it is committed with the same ETag.
   *
   * @throws IOException when reading the object fails part-way (nothing was committed; retry)
   * @throws PublishException when Kafka did not commit it (retry)
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
      log.warn("{} no longer exists; nothing to ingest", object.unitKey());
      return new Outcome(Status.MISSING, null, 0);
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
    try (in) {
      PublishResult result =
          publisher.publish(
              checkpoint,
              writer -> {
                try {
                  summary.set(decoder.decode(in, object.source(), writer));
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

  private boolean committedWith(String unitKey, String eTag) {
    Optional<Checkpoint> done = publisher.committed(unitKey);
    return done.isPresent() && done.get().version().equals(eTag);
  }
}
