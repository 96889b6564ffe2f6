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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code vigil ingest s3://bucket/prefix [--from DATE] [--to DATE]}: lists the prefix
 * (ListObjectsV2, paginated), keeps the objects whose key date lies in the range, and publishes
 * each as one unit through {@link S3ObjectIngester}. Objects committed before with the same ETag
 * are skipped without reading them, so a backfill can be stopped at any point and run again to
 * resume; nothing done is published twice.
 *
 * <p>Dates come from the key layouts AWS writes: CloudTrail {@code
 * AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/}, organization trails {@code
 * AWSLogs/o-<org>/<account>/CloudTrail/...}, and flow logs {@code
 * AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/}. With a date range, keys in neither layout
 * are left out. CloudTrail digest files are always left out.
 *
 * <p>The listing is held in memory (key, ETag, size per object) so that progress can show a total
 * and an ETA; a few million objects fit in a few hundred MiB.
 */
public final class S3Backfill {

  private static final Logger log = LoggerFactory.getLogger(S3Backfill.class);
  private static final Pattern KEY_DATE =
      Pattern.compile(
          "(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?\\d{12}/(?:CloudTrail|CloudTrail-Insight|vpcflowlogs)/"
              + "[^/]+/(\\d{4})/(\\d{2})/(\\d{2})/");

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

    boolean inRange(String key) {
      if (from == null && to == null) {
        return true;
      }
      Optional<LocalDate> date = keyDate(key);
      return date.isPresent()
          && (from == null || !date.get().isBefore(from))
          && (to == null || !date.get().isAfter(to));
    }
  }

  /** What a run did; {@code stopped} when {@link #stop} ended it before the last object. */
  public record Summary(BackfillProgress progress, boolean stopped) {}

  /** The day in a CloudTrail or flow log key, if it follows AWS's layout. */
  public static Optional<LocalDate> keyDate(String key) {
    Matcher m = KEY_DATE.matcher(key);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3))));
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  /** Asks a running backfill to stop after the object in hand; callable from any thread. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Lists, then publishes every matching object not yet committed, reporting to {@code listener}.
   */
  public Summary run(Request request, BackfillListener listener) {
    stopRequested = false;
    long started = System.nanoTime();
    List<S3ObjectRef> todo = new ArrayList<>();
    long bytesTotal = 0;
    for (S3Object object :
        AwsCallException.translating(
            s3.listObjectsV2Paginator(b -> b.bucket(request.bucket()).prefix(request.prefix()))
                .contents(),
            e ->
                AwsCallException.of(
                    AwsService.S3,
                    "ListObjectsV2",
                    s3,
                    "s3://" + request.bucket() + "/" + request.prefix(),
                    e))) {
      String key = object.key();
      if (S3KeyFilter.accepts(request.filters(), key) && request.inRange(key)) {
        todo.add(
            new S3ObjectRef(
                request.bucket(), key, S3ObjectRef.bareETag(object.eTag()), object.size()));
        bytesTotal += object.size();
      }
      if (stopRequested) {
        break;
      }
    }
    listener.listed(todo.size(), bytesTotal);
    log.info(
        "Backfill of s3://{}/{}: {} objects, {} bytes to consider",
        request.bucket(),
        request.prefix(),
        todo.size(),
        bytesTotal);
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

  /** Parses a {@code --from}/{@code --to} value (ISO date, {@code 2026-11-02}). */
  public static LocalDate parseDate(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a date (YYYY-MM-DD): " + value, e);
    }
  }
}
