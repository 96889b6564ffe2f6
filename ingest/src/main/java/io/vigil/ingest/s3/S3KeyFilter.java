package io.vigil.ingest.s3;

import java.util.List;

/**
 * Which keys of a bucket hold logs of one type, by prefix and suffix (either may be empty), e.g.
 * CloudTrail under {@code AWSLogs/} ending in {@code .json.gz}. CloudTrail digest files are never
 * ingested, whatever the filters say.
 */
public record S3KeyFilter(String logType, String prefix, String suffix) {

  public S3KeyFilter {
    prefix = prefix == null ? "" : prefix;
    suffix = suffix == null ? "" : suffix;
  }

  public boolean matches(String key) {
    return key.startsWith(prefix) && key.endsWith(suffix);
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

  /** Digest files sit under {@code .../CloudTrail-Digest/...}; they hold hashes, not events. */
  public static boolean isCloudTrailDigest(String key) {
    return key.contains("/CloudTrail-Digest/") || key.contains("_CloudTrail-Digest_");
  }
}
