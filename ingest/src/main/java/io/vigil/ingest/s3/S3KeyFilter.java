package io.vigil.ingest.s3;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which keys of a bucket to ingest, by prefix, suffix and log type (each optional), e.g. CloudTrail
 * under {@code AWSLogs/} ending in {@code .json.gz}. CloudTrail digest files are never ingested,
 * whatever the filters say.
 *
 * <p>The log type ({@link #LOG_TYPES}: {@code cloudtrail} or {@code vpcflow}) is not needed to
 * decode: the decoder recognises every object by content. It narrows the filter to the keys of that
 * type where the key tells ({@link #logTypeOf}: the service folder of AWS's layouts, {@code
 * CloudTrail}, {@code CloudTrail-Insight} or {@code vpcflowlogs}, or AWS's file name); a key that
 * does not tell is matched by prefix and suffix alone. Without a log type, a filter takes keys of
 * any type.
 */
public record S3KeyFilter(String logType, String prefix, String suffix) {

  /** The log types a filter may name, as the ingest metrics and topics call them. */
  public static final List<String> LOG_TYPES = List.of("cloudtrail", "vpcflow");

  public S3KeyFilter {
    prefix = prefix == null ? "" : prefix;
    suffix = suffix == null ? "" : suffix;
    if (logType != null && !LOG_TYPES.contains(logType)) {
      throw new IllegalArgumentException(
          "unknown log type '" + logType + "'; expected one of " + String.join(", ", LOG_TYPES));
    }
  }

  /** A filter by prefix and suffix alone, of any log type. */
  public static S3KeyFilter of(String prefix, String suffix) {
    return new S3KeyFilter(null, prefix, suffix);
  }

  public boolean matches(String key) {
    if (!key.startsWith(prefix) || !key.endsWith(suffix)) {
      return false;
    }
    if (logType == null) {
      return true;
    }
    Optional<String> type = logTypeOf(key);
    return type.isEmpty() || type.get().equals(logType);
  }

  /**
   * Whether {@code key} is to be ingested: not a digest, and matched by a filter (or no filters).
   */
  public static boolean accepts(List<S3KeyFilter> filters, String key) {
    if (isCloudTrailDigest(key)) {
      return false;
    }
    return filters.isEmpty() || filters.stream().anyMatch(f -> f.matches(key));
  }

  /** Whether some key under {@code folder} (a key prefix) may be accepted: a listing prunes it. */
  public static boolean mayAcceptUnder(List<S3KeyFilter> filters, String folder) {
    return filters.isEmpty()
        || filters.stream()
            .anyMatch(f -> f.prefix.startsWith(folder) || folder.startsWith(f.prefix));
  }

  /** Digest files sit under {@code .../CloudTrail-Digest/...}; they hold hashes, not events. */
  public static boolean isCloudTrailDigest(String key) {
    return key.contains("/CloudTrail-Digest/") || key.contains("_CloudTrail-Digest_");
  }

  /**
   * The log type a key's layout names: {@code cloudtrail} for the {@code CloudTrail} and {@code
   * CloudTrail-Insight} services, {@code vpcflow} for {@code vpcflowlogs}, the service's own name
   * (lower case) for another service (which no filter's type matches); empty when the key follows
   * none of AWS's layouts.
   */
  public static Optional<String> logTypeOf(String key) {
    return S3KeyLayout.service(key)
        .map(
            service ->
                switch (service) {
                  case "CloudTrail", "CloudTrail-Insight" -> "cloudtrail";
                  case "vpcflowlogs" -> "vpcflow";
                  default -> service.toLowerCase(Locale.ROOT);
                });
  }
}
