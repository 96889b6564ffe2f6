package io.vigil.sinks.archive;

import io.vigil.schemas.Aggregate;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertJson;
import io.vigil.schemas.RecordJson;
import io.vigil.sinks.SinkConfig;
import io.vigil.sinks.SinkContext;
import io.vigil.sinks.SinkSettings;
import io.vigil.sinks.delivery.DeliveryException;
import io.vigil.sinks.delivery.Sink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Archives records in S3 as gzip JSON lines under {@code
 * <prefix>/kind=<kind>/dt=YYYY-MM-DD/hour=HH/<time>-<sink>-<random>.json.gz} (Hive-style partitions
 * that Athena and Glue read as they are):
 *
 * <ul>
 *   <li>{@code kind=alerts}: Vigil's alert JSON, one publication per line, partitioned by the hour
 *       (UTC) of each alert's {@code last_seen}, the event time of that publication;
 *   <li>{@code kind=aggregates}: each aggregate as the record's JSON (field names as in the schema,
 *       times ISO-8601), partitioned by the hour of its {@code window_start}.
 * </ul>
 *
 * <p>Records are buffered, compressed as they arrive, and a file per hour partition is uploaded
 * once the buffer holds {@code max_file_bytes} of JSON or its oldest record is {@code max_file_age}
 * old. {@link #flush} reports the buffer durable only after the uploads succeeded, and the runner
 * commits offsets only then; a crash before that re-reads the records into a new file
 * (at-least-once: an upload that succeeded just before a crash can appear twice, distinguishable by
 * an alert's dedup_key and update, or an aggregate's name, dimensions and window).
 *
 * @param <T> the archived record type
 */
public final class S3ArchiveSink<T> implements Sink<T> {

  private static final int MAX_BATCH = 500;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Config config;
  private final Kind<T> kind;
  private final S3Client s3;
  private final String sinkName;
  private final Clock clock;
  private final Map<String, Part> parts = new TreeMap<>();
  private long bufferedBytes;
  private Instant oldest;

  S3ArchiveSink(Config config, Kind<T> kind, S3Client s3, String sinkName, Clock clock) {
    this.config = config;
    this.kind = kind;
    this.s3 = s3;
    this.sinkName = sinkName;
    this.clock = clock;
  }

  @Override
  public int maxBatch() {
    return MAX_BATCH;
  }

  @Override
  public void deliver(List<T> records) throws DeliveryException {
    for (T record : records) {
      Instant at = kind.time(record);
      String partition =
          "kind=" + kind.name() + "/dt=" + DAY.format(at) + "/hour=" + HOUR.format(at);
      byte[] line = (kind.json(record) + "\n").getBytes(StandardCharsets.UTF_8);
      parts.computeIfAbsent(partition, p -> new Part()).write(line);
      bufferedBytes += line.length;
      if (oldest == null) {
        oldest = clock.instant();
      }
    }
  }

  @Override
  public boolean flush(boolean force) throws DeliveryException {
    if (parts.isEmpty()) {
      return true;
    }
    boolean due =
        force
            || bufferedBytes >= config.maxFileBytes()
            || !clock.instant().isBefore(oldest.plus(config.maxFileAge()));
    if (!due) {
      return false;
    }
    String stamp = STAMP.format(clock.instant());
    for (Iterator<Map.Entry<String, Part>> it = parts.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Part> part = it.next();
      String key =
          config.prefix()
              + part.getKey()
              + "/"
              + stamp
              + "-"
              + sinkName
              + "-"
              + UUID.randomUUID().toString().substring(0, 8)
              + ".json.gz";
      upload(key, part.getValue().finish());
      // Uploaded parts leave the buffer at once, so that a retry after a partial failure does not
      // upload them a second time.
      bufferedBytes -= part.getValue().bytes;
      it.remove();
    }
    bufferedBytes = 0;
    oldest = null;
    return true;
  }

  private void upload(String key, byte[] gzip) throws DeliveryException {
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(config.bucket())
              .key(key)
              .contentType("application/x-ndjson")
              .contentEncoding("gzip")
              .build(),
          RequestBody.fromBytes(gzip));
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
      throw DeliveryException.retryable(
          "s3_" + e.statusCode(), "S3 PutObject failed: " + code, null);
    } catch (SdkException e) {
      throw DeliveryException.retryable(
          "s3_client", "S3 PutObject failed: " + e.getClass().getSimpleName(), null);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  /**
   * What the archive keeps of one record type: the partition name, the time it files under, the
   * line.
   */
  interface Kind<T> {
    String name();

    Instant time(T record) throws DeliveryException;

    String json(T record);
  }

  static final Kind<Alert> ALERTS =
      new Kind<>() {
        @Override
        public String name() {
          return "alerts";
        }

        @Override
        public Instant time(Alert alert) throws DeliveryException {
          try {
            return Instant.parse(alert.getLastSeen());
          } catch (DateTimeParseException e) {
            throw DeliveryException.fatal("render_failed", "last_seen is not an ISO-8601 time");
          }
        }

        @Override
        public String json(Alert alert) {
          return AlertJson.toJson(alert);
        }
      };

  static final Kind<Aggregate> AGGREGATES =
      new Kind<>() {
        @Override
        public String name() {
          return "aggregates";
        }

        @Override
        public Instant time(Aggregate aggregate) {
          return aggregate.getWindowStart();
        }

        @Override
        public String json(Aggregate aggregate) {
          return RecordJson.toJson(aggregate).toString();
        }
      };

  /** One hour partition's file in the making. */
  private static final class Part {
    private final ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    private final GZIPOutputStream gzip;
    private long bytes;
    private byte[] finished;

    Part() {
      try {
        gzip = new GZIPOutputStream(compressed, 64 * 1024);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void write(byte[] line) {
      try {
        gzip.write(line);
        bytes += line.length;
      } catch (IOException e) {
        throw new UncheckedIOException("in-memory compression failed", e);
      }
    }

    /** The gzip file; idempotent, so that a failed upload can be retried with the same bytes. */
    byte[] finish() {
      if (finished == null) {
        try {
          gzip.finish();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        finished = compressed.toByteArray();
      }
      return finished;
    }
  }

  /**
   * Settings of an {@code s3} sink: {@code bucket} (required), {@code prefix} (default none; a
   * trailing slash is added), {@code region} (default: the SDK's region chain), {@code endpoint}
   * (for S3-compatible stores and emulators) with {@code path_style} (default false), {@code
   * max_file_bytes} (uncompressed JSON per file, default 64 MiB), {@code max_file_age} (default 5m)
   * and {@code kinds}: what to archive, {@code alerts} and/or {@code aggregates} (default {@code
   * [alerts]}; each kind is read by its own consumer group and filed under its own {@code kind=}
   * partition; {@code min_severity} and the rule filters apply to alerts only). Credentials come
   * from the SDK's default chain (environment, profile, role).
   */
  public record Config(
      String bucket,
      String prefix,
      String region,
      URI endpoint,
      boolean pathStyle,
      long maxFileBytes,
      Duration maxFileAge,
      Set<String> kinds)
      implements SinkConfig {

    /** The kinds of records an archive can keep. */
    public static final List<String> KINDS = List.of("alerts", "aggregates");

    public static Config parse(SinkSettings s) {
      String bucket = s.requiredString("bucket");
      String prefix = s.string("prefix", "");
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        prefix = prefix + "/";
      }
      String region = s.string("region", null);
      URI endpoint = s.has("endpoint") ? s.url("endpoint", null, false) : null;
      boolean pathStyle = s.bool("path_style", false);
      int maxBytes = s.integer("max_file_bytes", 64 * 1024 * 1024, 1024, Integer.MAX_VALUE);
      Duration maxAge = s.duration("max_file_age", Duration.ofMinutes(5));
      Set<String> kinds =
          new LinkedHashSet<>(s.has("kinds") ? s.strings("kinds") : List.of("alerts"));
      for (String kind : kinds) {
        if (!KINDS.contains(kind)) {
          s.problem("kinds", "unknown kind '" + kind + "'; known: " + KINDS);
        }
      }
      if (kinds.isEmpty()) {
        s.problem("kinds", "must name at least one of " + KINDS);
      }
      return bucket == null
          ? null
          : new Config(
              bucket,
              prefix.replaceFirst("^/+", ""),
              region,
              endpoint,
              pathStyle,
              maxBytes,
              maxAge,
              Set.copyOf(kinds));
    }

    @Override
    public Sink<Alert> open(SinkContext context) {
      return kinds.contains("alerts")
          ? new S3ArchiveSink<>(this, ALERTS, client(), context.name(), context.clock())
          : null;
    }

    @Override
    public Sink<Aggregate> openAggregates(SinkContext context) {
      return kinds.contains("aggregates")
          ? new S3ArchiveSink<>(this, AGGREGATES, client(), context.name(), context.clock())
          : null;
    }

    private S3Client client() {
      var builder = S3Client.builder().forcePathStyle(pathStyle);
      if (region != null) {
        builder.region(Region.of(region));
      }
      if (endpoint != null) {
        builder
            .endpointOverride(endpoint)
            // Stores other than AWS often lack the flexible checksums the SDK sends by default.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      }
      return builder.build();
    }
  }
}
