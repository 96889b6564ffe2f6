package io.vigil.ingest.decode;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Parses CloudTrail's eventTime (ISO-8601) to epoch millis. CloudTrail always writes {@code
 * yyyy-MM-ddTHH:mm:ssZ}, which takes a fast path without a formatter; other ISO-8601 offsets and
 * fractions (Logstash's {@code @timestamp}) take the JDK's parser.
 */
final class EventTime {

  /** Returned for text that is not an ISO-8601 date-time with an offset. */
  static final long INVALID = Long.MIN_VALUE;

  private EventTime() {}

  static long parseMillis(String s) {
    if (s.length() == 20
        && s.charAt(4) == '-'
        && s.charAt(7) == '-'
        && s.charAt(10) == 'T'
        && s.charAt(13) == ':'
        && s.charAt(16) == ':'
        && s.charAt(19) == 'Z') {
      int year = digits(s, 0, 4);
      int month = digits(s, 5, 2);
      int day = digits(s, 8, 2);
      int hour = digits(s, 11, 2);
      int minute = digits(s, 14, 2);
      int second = digits(s, 17, 2);
      if (year < 0
          || month < 0
          || day < 0
          || hour < 0
          || hour > 23
          || minute < 0
          || minute > 59
          || second < 0
          || second > 59) {
        return INVALID;
      }
      try {
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L;
      } catch (DateTimeException e) {
        return INVALID;
      }
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          .toEpochMilli();
    } catch (DateTimeException | ArithmeticException e) {
      return INVALID;
    }
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
