package io.vigil.ingest.s3;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.UnitPublisher;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SourceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * No log file silently missed: CloudTrail's hourly digest files list every log file delivered for
 * an account and region, and each one listed must have been ingested (its {@code s3://bucket/key}
 * checkpoint committed) by the time the grace period after the digest arrived is over.
 *
 * <p>A digest announced on the queue is read and its list committed as the digest's own checkpoint
 * (attributes {@code digest_*}), so the list survives restarts and every instance sees it. {@link
 * #reconcile} runs every {@code min(grace / 2, 1 min)}: a digest whose files are all in is closed;
 * one past its grace with files missing gets a dead letter per file ({@link
 * DeadLetters#MISSING_LOG_FILE}, located at the file, naming the digest and whether the object is
 * still in its bucket), committed with the digest's closing checkpoint in one transaction, so each
 * file is reported once. Detection raises {@code vigil-log-file-missing} from those dead letters;
 * the dead letters count in {@code vigil_ingest_rejects_total{reason="log_file_missing"}}, and
 * {@code vigil_ingest_digest_files_waiting} is how many listed files are not in yet within grace.
 *
 * <p>Several instances: each closes the digests it committed; a digest still open a grace period
 * after its due time (its instance is gone) is closed by whichever instance sees it.
 */
public final class DigestReconciler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DigestReconciler.class);
  private static final String COMPONENT = "ingest.s3-digests";
  private static final String REASON = "log_file_missing";
  private static final Pattern ACCOUNT = Pattern.compile("AWSLogs/(?:o-[a-z0-9]+/)?(\\d{12})/");

  static final String STATE = "digest_state";
  static final String OPEN = "open";
  static final String CLOSED = "closed";
  static final String FILES = "digest_files";
  static final String DUE = "digest_due";
  static final String END = "digest_end";
  static final String OWNER = "digest_owner";
  static final String MISSING = "digest_missing";

  private final S3Client s3;
  private final UnitPublisher publisher;
  private final List<S3KeyFilter> filters;
  private final Duration grace;
  private final String owner;
  private final Clock clock;
  private final AtomicLong waiting = new AtomicLong();
  private ScheduledExecutorService schedule;

  /**
   * @param filters {@code ingest.s3.filters}: a listed file they leave out is not expected
   * @param grace how long after a digest arrives its files may still come in
   * @param owner this instance (its publisher's transactional id)
   */
  public DigestReconciler(
      S3Client s3,
      UnitPublisher publisher,
      List<S3KeyFilter> filters,
      Duration grace,
      String owner,
      MeterRegistry meters,
      Clock clock) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.filters = List.copyOf(filters);
    if (grace.isNegative()) {
      throw new IllegalArgumentException("the digest grace period must not be negative");
    }
    this.grace = grace;
    this.owner = Objects.requireNonNull(owner, "owner");
    this.clock = Objects.requireNonNull(clock, "clock");
    Gauge.builder("vigil.ingest.digest.files.waiting", waiting, AtomicLong::get)
        .description("Log files CloudTrail digests listed that are not ingested yet, within grace")
        .register(meters);
  }

  /**
   * Reads an announced digest file and commits the list of log files it names; a digest already
   * committed (a redelivered notification) is left alone.
   *
   * @throws IOException when S3 could not be read (the notification is then retried)
   * @throws PublishException when the list could not be committed (likewise)
   */
  public void arrived(S3ObjectRef digest) throws IOException, PublishException {
    String key = digest.unitKey();
    if (publisher.committed(key).isPresent()) {
      return;
    }
    byte[] content;
    try {
      content = s3.getObjectAsBytes(b -> b.bucket(digest.bucket()).key(digest.key())).asByteArray();
    } catch (NoSuchKeyException e) {
      log.warn("Digest {} no longer exists; its log files are not checked", key);
      return;
    } catch (SdkException e) {
      throw new IOException("cannot read digest " + key + ": " + e.getMessage(), e);
    }
    CloudTrailDigest parsed;
    try {
      parsed = CloudTrailDigest.parse(content);
    } catch (CloudTrailDigest.MalformedDigestException e) {
      Rejected rejected =
          DeadLetters.rejectedInput(
              "digest_malformed",
              e.getMessage(),
              SourceType.s3,
              key,
              content,
              COMPONENT,
              Map.of(),
              clock.instant());
      publisher.publish(
          new Checkpoint(key, version(digest), 0, Map.of(STATE, CLOSED)),
          w -> w.rejected(rejected));
      return;
    }
    List<String> expected = new ArrayList<>();
    for (S3ObjectRef file : parsed.logFiles()) {
      if (S3KeyFilter.accepts(filters, file.key())) {
        expected.add(file.unitKey());
      }
    }
    Map<String, String> attributes = new HashMap<>();
    attributes.put(STATE, expected.isEmpty() ? CLOSED : OPEN);
    attributes.put(FILES, String.join("\n", expected));
    attributes.put(DUE, clock.instant().plus(grace).toString());
    attributes.put(END, parsed.end().toString());
    attributes.put(OWNER, owner);
    publisher.publish(new Checkpoint(key, version(digest), 0, attributes), w -> {});
    log.debug("Digest {} lists {} log files to expect", key, expected.size());
  }

  /**
   * One pass over the open digests: closes those whose files are all in, reports the missing files
   * of those past their grace.
   *
   * @return the log files reported missing in this pass
   * @throws PublishException when a digest could not be closed (the next pass tries again)
   */
  public int reconcile() throws PublishException {
    publisher.refreshCommitted();
    Instant now = clock.instant();
    int reported = 0;
    long notYet = 0;
    for (Checkpoint digest :
        publisher.committedMatching(c -> OPEN.equals(c.attributes().get(STATE)))) {
      Map<String, String> attributes = digest.attributes();
      Instant due;
      try {
        due = Instant.parse(attributes.getOrDefault(DUE, ""));
      } catch (DateTimeParseException e) {
        continue;
      }
      boolean mine = owner.equals(attributes.get(OWNER)) || now.isAfter(due.plus(grace));
      if (!mine) {
        continue;
      }
      List<String> missing = new ArrayList<>();
      for (String file : attributes.getOrDefault(FILES, "").split("\n")) {
        if (!file.isEmpty() && publisher.committed(file).isEmpty()) {
          missing.add(file);
        }
      }
      if (!missing.isEmpty() && now.isBefore(due)) {
        notYet += missing.size();
        continue;
      }
      List<Rejected> letters = new ArrayList<>();
      for (String file : missing) {
        letters.add(missingFile(file, digest, now));
      }
      Map<String, String> closed = new HashMap<>(attributes);
      closed.put(STATE, CLOSED);
      closed.put(MISSING, Integer.toString(missing.size()));
      publisher.publish(
          new Checkpoint(digest.key(), digest.version(), 0, closed),
          w -> letters.forEach(w::rejected));
      reported += missing.size();
      if (!missing.isEmpty()) {
        log.warn(
            "Digest {}: {} listed log file(s) not ingested {} after it arrived, first {}",
            digest.key(),
            missing.size(),
            grace,
            missing.get(0));
      }
    }
    waiting.set(notYet);
    return reported;
  }

  /** Reconciles in the background until {@link #close}. */
  public synchronized void start() {
    if (schedule != null) {
      return;
    }
    long every = Math.max(1_000, Math.min(grace.toMillis() / 2, Duration.ofMinutes(1).toMillis()));
    schedule =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "vigil-s3-digests");
              thread.setDaemon(true);
              return thread;
            });
    schedule.scheduleWithFixedDelay(this::reconcileLogged, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.shutdownNow();
      schedule = null;
    }
  }

  private void reconcileLogged() {
    try {
      reconcile();
    } catch (PublishException | RuntimeException e) {
      log.warn("Reconciling CloudTrail digests failed; retrying at the next pass", e);
    }
  }

  private Rejected missingFile(String file, Checkpoint digest, Instant now) {
    String state = objectState(file);
    Map<String, String> attributes = new HashMap<>();
    attributes.put(DeadLetters.MISSING_LOG_FILE, "true");
    attributes.put(DeadLetters.OBJECT_STATE, state);
    attributes.put(DeadLetters.DIGEST, digest.key());
    String end = digest.attributes().get(END);
    if (end != null) {
      attributes.put(DeadLetters.DIGEST_END, end);
    }
    Matcher account = ACCOUNT.matcher(file);
    if (account.find()) {
      attributes.put("account_id", account.group(1));
    }
    S3KeyLayout.region(file).ifPresent(region -> attributes.put("region", region));
    String message =
        "CloudTrail log file listed in digest "
            + digest.key()
            + " was not ingested within "
            + grace
            + (state.equals("deleted") ? "; it is no longer in its bucket" : "");
    return DeadLetters.rejectedInput(
        REASON,
        message,
        SourceType.s3,
        file,
        file.getBytes(StandardCharsets.UTF_8),
        COMPONENT,
        attributes,
        now);
  }

  /** Whether the file is still in its bucket: present, deleted or unknown. */
  private String objectState(String file) {
    String path = file.substring("s3://".length());
    int slash = path.indexOf('/');
    String bucket = path.substring(0, slash);
    String key = path.substring(slash + 1);
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return "present";
    } catch (NoSuchKeyException e) {
      return "deleted";
    } catch (S3Exception e) {
      return e.statusCode() == 404 ? "deleted" : "unknown";
    } catch (SdkException e) {
      return "unknown";
    }
  }

  private static String version(S3ObjectRef digest) {
    return digest.eTag() == null ? "digest" : digest.eTag();
  }
}
