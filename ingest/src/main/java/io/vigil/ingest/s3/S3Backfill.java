package io.vigil.ingest.s3;

import io.vigil.ingest.aws.AwsCallException;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.publish.PublishException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code vigil ingest s3://bucket/prefix [--from DATE] [--to DATE]}: lists the prefix, keeps the
 * objects whose day lies in the range, and publishes each as one unit through {@link
 * S3ObjectIngester}. Objects committed before with the same ETag are skipped without reading them,
 * so a backfill can be stopped at any point and run again to resume; nothing done is published
 * twice.
 *
 * <p>Days come from the key layouts AWS writes ({@link S3KeyLayout}): CloudTrail, organization
 * trails, CloudTrail Insights, VPC flow logs by day or by hour, with or without Hive-compatible
 * prefixes, each after any custom prefix; else from AWS's file names. Without a range the prefix is
 * listed whole. With a range the listing walks the folders ({@code /} as delimiter) and, below a
 * region folder, opens only the years, months and days in range, so a day of a large bucket costs a
 * few requests per region. An object (not left out by the filters) whose day cannot be told stops
 * the listing with {@link UndatableObjectException} before anything is published: a range is never
 * applied by leaving out what cannot be dated. CloudTrail digest files are always left out (their
 * folders are not even listed).
 *
 * <p>The listing is held in memory (key, ETag, size per object) so that progress can show a total
 * and an ETA; a few million objects fit in a few hundred MiB.
 */
public final class S3Backfill {

  private static final Logger log = LoggerFactory.getLogger(S3Backfill.class);

  private final S3Client s3;
  private final S3ObjectIngester objects;
  private volatile boolean stopRequested;

  public S3Backfill(S3Client s3, S3ObjectIngester objects) {
    this.s3 = s3;
    this.objects = objects;
  }

  /**
   * What to backfill: a bucket and key prefix, an optional inclusive date range (UTC days of the
   * key layout), and optional key filters.
   */
  public record Request(
      String bucket, String prefix, LocalDate from, LocalDate to, List<S3KeyFilter> filters) {

    public Request {
      filters = List.copyOf(filters);
      if (from != null && to != null && from.isAfter(to)) {
        throw new IllegalArgumentException("--from " + from + " is after --to " + to);
      }
    }

    /** From an {@code s3://bucket/prefix} URI as typed on the command line. */
    public static Request of(String s3Uri, LocalDate from, LocalDate to) {
      URI uri;
      try {
        uri = URI.create(s3Uri);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an s3:// URI: " + s3Uri, e);
      }
      if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new IllegalArgumentException("expected s3://bucket/prefix, got " + s3Uri);
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      return new Request(
          uri.getHost(), path.startsWith("/") ? path.substring(1) : path, from, to, List.of());
    }

    /** This request with these key filters ({@code ingest.s3.filters}). */
    public Request withFilters(List<S3KeyFilter> newFilters) {
      return new Request(bucket, prefix, from, to, newFilters);
    }

    /** Whether a date range was given. */
    public boolean ranged() {
      return from != null || to != null;
    }

    /** {@code s3://bucket/prefix}. */
    public String uri() {
      return "s3://" + bucket + "/" + prefix;
    }

    boolean inRange(LocalDate date) {
      return (from == null || !date.isBefore(from)) && (to == null || !date.isAfter(to));
    }
  }

  /** The objects a request selects, listed, with what the listing cost. */
  public record Listing(
      Request request, List<S3ObjectRef> objects, long bytes, long listRequests, long keysSeen) {

    public Listing {
      objects = List.copyOf(objects);
    }
  }

  /** What a run did; {@code stopped} when {@link #stop} ended it before the last object. */
  public record Summary(BackfillProgress progress, boolean stopped) {}

  /**
   * With a date range, an object whose day cannot be told: the backfill refuses rather than leave
   * it out.
   */
  public static final class UndatableObjectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    UndatableObjectException(Request request, String key) {
      super(
          "cannot date objects under "
              + request.uri()
              + ": layout not recognised (e.g. s3://"
              + request.bucket()
              + "/"
              + key
              + "); --from/--to need AWS's CloudTrail or VPC flow log layout"
              + " (AWSLogs/<account>/CloudTrail|vpcflowlogs/<region>/YYYY/MM/DD/...,"
              + " Hive-compatible aws-account-id=.../year=YYYY/month=MM/day=DD/...) or AWS's file"
              + " names; ingest without --from/--to, or narrow the prefix or ingest.s3.filters to"
              + " such keys");
      this.key = key;
    }

    /** The first key that could not be dated. */
    public String key() {
      return key;
    }
  }

  /** The day in a CloudTrail or flow log key, if it follows AWS's layout ({@link S3KeyLayout}). */
  public static Optional<LocalDate> keyDate(String key) {
    return S3KeyLayout.date(key);
  }

  /** Asks a running backfill to stop after the object in hand; callable from any thread. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Lists, then publishes every matching object not yet committed, reporting to {@code listener}.
   *
   * @throws UndatableObjectException with a date range, when an object under the prefix has no
   *     recognisable day; nothing was published
   */
  public Summary run(Request request, BackfillListener listener) {
    return run(list(request), listener);
  }

  /**
   * The objects of the request: digests and keys no filter accepts left out, and with a date range
   * only those of the days in range, listing only the folders that can hold them.
   *
   * @throws UndatableObjectException with a date range, when an object under the prefix has no
   *     recognisable day
   */
  public Listing list(Request request) {
    stopRequested = false;
    Walk walk = new Walk(request);
    if (request.ranged()) {
      walk.folder(request.prefix());
    } else {
      walk.whole(request.prefix());
    }
    log.info(
        "Listed s3://{}/{} in {} requests: {} keys seen, {} objects, {} bytes to consider",
        request.bucket(),
        request.prefix(),
        walk.requests,
        walk.keysSeen,
        walk.todo.size(),
        walk.bytes);
    return new Listing(request, walk.todo, walk.bytes, walk.requests, walk.keysSeen);
  }

  /** Publishes every object of a listing not yet committed, reporting to {@code listener}. */
  public Summary run(Listing listing, BackfillListener listener) {
    long started = System.nanoTime();
    List<S3ObjectRef> todo = listing.objects();
    long bytesTotal = listing.bytes();
    listener.listed(todo.size(), bytesTotal);
    long published = 0;
    long skipped = 0;
    long failed = 0;
    long records = 0;
    long rejected = 0;
    long bytesFinished = 0;
    long bytesPublished = 0;
    BackfillProgress progress =
        new BackfillProgress(todo.size(), 0, 0, 0, 0, 0, bytesTotal, 0, 0, Duration.ZERO);
    for (S3ObjectRef object : todo) {
      if (stopRequested || Thread.currentThread().isInterrupted()) {
        log.info(
            "Backfill stopped after {} of {} objects", progress.objectsFinished(), todo.size());
        return new Summary(progress, true);
      }
      try {
        S3ObjectIngester.Outcome outcome = objects.ingest(object);
        if (outcome.status() == S3ObjectIngester.Status.PUBLISHED) {
          published++;
          records += outcome.result().records();
          rejected += outcome.result().rejected();
          bytesPublished += object.size();
        } else {
          skipped++;
          if (outcome.result() != null) {
            // Missing since it was listed: its dead letter.
            rejected += outcome.result().rejected();
          }
        }
      } catch (IOException | PublishException | SdkException e) {
        failed++;
        log.warn("Backfill could not do {}", object.unitKey(), e);
        listener.failed(object, e);
      }
      bytesFinished += object.size();
      progress =
          new BackfillProgress(
              todo.size(),
              published,
              skipped,
              failed,
              records,
              rejected,
              bytesTotal,
              bytesFinished,
              bytesPublished,
              Duration.ofNanos(System.nanoTime() - started));
      listener.progress(progress);
    }
    return new Summary(progress, false);
  }

  /** One listing: what it kept, and what it cost. */
  private final class Walk {
    private final Request request;
    private final List<S3ObjectRef> todo = new ArrayList<>();
    private long bytes;
    private long requests;
    private long keysSeen;

    Walk(Request request) {
      this.request = request;
    }

    /** Every key under the prefix (no range: nothing to date). */
    void whole(String prefix) {
      for (ListObjectsV2Response page :
          listing(
              prefix, s3.listObjectsV2Paginator(b -> b.bucket(request.bucket()).prefix(prefix)))) {
        requests++;
        page.contents().forEach(this::consider);
        if (stopRequested) {
          return;
        }
      }
    }

    /**
     * A folder (or the request's prefix): pruned when no filter can match under it, when it is a
     * digest folder, or when its days are out of range; a day listed whole; anything else listed
     * one level down, and each sub-folder walked in turn.
     */
    void folder(String prefix) {
      if (stopRequested
          || S3KeyFilter.isCloudTrailDigest(prefix)
          || !S3KeyFilter.mayAcceptUnder(request.filters(), prefix)) {
        return;
      }
      Optional<S3KeyLayout.DateFolder> days =
          prefix.endsWith("/") ? S3KeyLayout.dateFolder(prefix) : Optional.empty();
      if (days.isPresent()) {
        if (!days.get().overlaps(request.from(), request.to())) {
          return;
        }
        if (days.get().isDay()) {
          whole(prefix);
          return;
        }
      }
      for (ListObjectsV2Response page :
          listing(
              prefix,
              s3.listObjectsV2Paginator(
                  b -> b.bucket(request.bucket()).prefix(prefix).delimiter("/")))) {
        requests++;
        page.contents().forEach(this::consider);
        for (CommonPrefix sub : page.commonPrefixes()) {
          folder(sub.prefix());
        }
        if (stopRequested) {
          return;
        }
      }
    }

    /** The pages of a listing, whose failures name S3, the endpoint, ListObjectsV2 and where. */
    private Iterable<ListObjectsV2Response> listing(
        String prefix, Iterable<ListObjectsV2Response> pages) {
      return AwsCallException.translating(
          pages,
          e ->
              AwsCallException.of(
                  AwsService.S3,
                  "ListObjectsV2",
                  s3,
                  "s3://" + request.bucket() + "/" + prefix,
                  e));
    }

    private void consider(S3Object object) {
      keysSeen++;
      String key = object.key();
      if (!S3KeyFilter.accepts(request.filters(), key)) {
        return;
      }
      if (request.ranged()) {
        Optional<LocalDate> date = S3KeyLayout.date(key);
        if (date.isEmpty()) {
          throw new UndatableObjectException(request, key);
        }
        if (!request.inRange(date.get())) {
          return;
        }
      }
      todo.add(
          new S3ObjectRef(
              request.bucket(), key, S3ObjectRef.bareETag(object.eTag()), object.size()));
      bytes += object.size();
    }
  }

  /** Parses a {@code --from}/{@code --to} value (ISO date, {@code 2026-11-02}). */
  public static LocalDate parseDate(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a date (YYYY-MM-DD): " + value, e);
    }
  }
}
