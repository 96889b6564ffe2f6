package io.vigil.ingest.s3;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key layouts AWS delivers logs in, after any custom prefix:
 *
 * <ul>
 *   <li>{@code AWSLogs/<account>/<service>/<region>/YYYY/MM/DD/}: CloudTrail ({@code CloudTrail},
 *       {@code CloudTrail-Insight}, {@code CloudTrail-Digest}), VPC flow logs ({@code vpcflowlogs},
 *       with {@code HH/} after the day when delivered with hourly partitions) and the other
 *       services that deliver to S3 alike;
 *   <li>{@code AWSLogs/o-<org>/<account>/CloudTrail/<region>/YYYY/MM/DD/}: organization trails;
 *   <li>{@code AWSLogs/aws-account-id=<account>/aws-service=<service>/aws-region=<region>/
 *       year=YYYY/month=MM/day=DD/} (and {@code hour=HH/}): flow logs with Hive-compatible
 *       prefixes;
 * </ul>
 *
 * <p>and, for an object whose folders follow none of them, AWS's file names {@code
 * <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<unique>.json.gz} and {@code
 * <account>_vpcflowlogs_<region>_<flow-log-id>_YYYYMMDDTHHmmZ_<hash>.log.gz}. Days are UTC, as AWS
 * writes them.
 */
public final class S3KeyLayout {

  // AWSLogs/[o-org/]<account>/<service>/<region>/ and its Hive-compatible twin.
  private static final String CLASSIC_HEAD =
      "(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?\\d{12}/([A-Za-z0-9-]+)/([a-z]{2}(?:-[a-z]+)+-\\d+)/";
  private static final String HIVE_HEAD =
      "(?:^|/)AWSLogs/aws-account-id=\\d{12}/aws-service=([A-Za-z0-9-]+)/"
          + "aws-region=([a-z]{2}(?:-[a-z]+)+-\\d+)/";

  private static final Pattern CLASSIC_KEY =
      Pattern.compile(CLASSIC_HEAD + "(\\d{4})/(\\d{2})/(\\d{2})/");
  private static final Pattern HIVE_KEY =
      Pattern.compile(HIVE_HEAD + "year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/");
  private static final Pattern FILE_NAME =
      Pattern.compile(
          "(?:^|/)\\d{12}_([A-Za-z-]+)_([a-z]{2}(?:-[a-z]+)+-\\d+)_(?:[^_/]+_)?"
              + "(\\d{4})(\\d{2})(\\d{2})T\\d{4}Z[_.][^/]*$");

  // A folder of the layout down to the region, the year, the month, the day or the hour.
  private static final Pattern CLASSIC_FOLDER =
      Pattern.compile(CLASSIC_HEAD + "(?:(\\d{4})/(?:(\\d{2})/(?:(\\d{2})/(?:\\d{2}/)?)?)?)?$");
  private static final Pattern HIVE_FOLDER =
      Pattern.compile(
          HIVE_HEAD
              + "(?:year=(\\d{4})/(?:month=(\\d{2})/(?:day=(\\d{2})/(?:hour=\\d{2}/)?)?)?)?$");

  private S3KeyLayout() {}

  /** The day of an object in one of AWS's layouts: from its folders, else from its file name. */
  public static Optional<LocalDate> date(String key) {
    return keyMatch(key)
        .flatMap(
            m -> {
              try {
                return Optional.of(
                    LocalDate.of(
                        Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4)),
                        Integer.parseInt(m.group(5))));
              } catch (DateTimeException e) {
                return Optional.empty();
              }
            });
  }

  /**
   * The region an object in one of AWS's layouts was delivered from ({@code
   * .../vpcflowlogs/<region>/...}, {@code aws-region=<region>}, or the file name).
   */
  public static Optional<String> region(String key) {
    return keyMatch(key).map(m -> m.group(2));
  }

  /**
   * The service folder ({@code CloudTrail}, {@code vpcflowlogs}, ...) or file name part of an
   * object in one of AWS's layouts.
   */
  public static Optional<String> service(String key) {
    return keyMatch(key).map(m -> m.group(1));
  }

  /**
   * The first of the key layouts (folders, Hive folders, file name) that matches: groups 1 service,
   * 2 region, 3 to 5 year, month, day.
   */
  private static Optional<Matcher> keyMatch(String key) {
    for (Pattern pattern : new Pattern[] {CLASSIC_KEY, HIVE_KEY, FILE_NAME}) {
      Matcher m = pattern.matcher(key);
      if (m.find()) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The days a folder (a prefix ending in {@code /}) of one of AWS's layouts holds: every day for a
   * region folder, a year, a month, or one day (an hour folder: its day). Empty for a folder of no
   * known layout, or above the region.
   */
  public static Optional<DateFolder> dateFolder(String folder) {
    for (Pattern pattern : new Pattern[] {CLASSIC_FOLDER, HIVE_FOLDER}) {
      Matcher m = pattern.matcher(folder);
      if (m.find()) {
        try {
          if (m.group(3) == null) {
            return Optional.of(new DateFolder(null, null));
          }
          int year = Integer.parseInt(m.group(3));
          if (m.group(4) == null) {
            return Optional.of(
                new DateFolder(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31)));
          }
          YearMonth month = YearMonth.of(year, Integer.parseInt(m.group(4)));
          if (m.group(5) == null) {
            return Optional.of(new DateFolder(month.atDay(1), month.atEndOfMonth()));
          }
          LocalDate day = month.atDay(Integer.parseInt(m.group(5)));
          return Optional.of(new DateFolder(day, day));
        } catch (DateTimeException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The days under a folder of a known layout: {@code first} to {@code last} inclusive, both null
   * for a region folder (any day).
   */
  public record DateFolder(LocalDate first, LocalDate last) {

    /** Whether this folder is one day (or an hour of one): list it whole. */
    public boolean isDay() {
      return first != null && first.equals(last);
    }

    /** Whether some day under this folder lies between {@code from} and {@code to} (nullable). */
    public boolean overlaps(LocalDate from, LocalDate to) {
      if (first == null) {
        return true;
      }
      return (from == null || !last.isBefore(from)) && (to == null || !first.isAfter(to));
    }
  }
}
