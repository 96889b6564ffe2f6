package io.vigil.streams.detection;

import static io.vigil.streams.detection.TestEvents.ct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The metric correlation types (value_avg, value_percentile, value_median) as a user writes them,
 * through the Kafka Streams topology and the scan's offline detector alike: S3 objects read by a
 * principal, measured by the bytes each read sent out.
 */
class MetricCorrelationsTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private static final String RULES =
      """
      title: Object read
      id: object-read
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventSource: s3.amazonaws.com
          eventName: GetObject
        condition: selection
      level: informational
      ---
      title: Large reads on average
      id: large-reads-avg
      correlation:
        type: value_avg
        rules:
          - object-read
        group-by:
          - userIdentity.arn
        timespan: 10m
        condition:
          field: additionalEventData.bytesTransferredOut
          gte: 1000000
      level: medium
      ---
      title: Large reads at the 90th percentile
      id: large-reads-p90
      correlation:
        type: value_percentile
        rules:
          - object-read
        group-by:
          - userIdentity.arn
        timespan: 10m
        condition:
          field: additionalEventData.bytesTransferredOut
          percentile: 90
          gte: 1000000
      level: medium
      ---
      title: Small reads in the middle
      id: small-reads-median
      correlation:
        type: value_median
        rules:
          - object-read
        group-by:
          - userIdentity.arn
        timespan: 10m
        condition:
          field: additionalEventData.bytesTransferredOut
          lt: 1000
      level: low
      """;

  private DetectionRunner runner;

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private DetectionRunner runner(String kind, Path dir) throws IOException {
    Files.writeString(dir.resolve("metrics.yml"), RULES);
    DetectionSettings settings = DetectionSettings.DEFAULTS.withUserRulePaths(List.of(dir));
    DetectionEngine engine = DetectionEngine.load(settings);
    runner = DetectionRunner.of(kind, engine, settings);
    return runner;
  }

  private static void read(DetectionRunner r, String user, Instant at, long bytes) {
    r.cloudTrail(
        ct("s3.amazonaws.com", "GetObject", at)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/" + user)
            .dataEvent()
            .additional("{\"bytesTransferredOut\":" + bytes + "}")
            .build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void meanPercentileAndMedianOfTheBytesEachPrincipalRead(String kind, @TempDir Path dir)
      throws IOException {
    DetectionRunner r = runner(kind, dir);
    // alice: nine small reads and one of 50 MB: a mean over 1 MB, a 90th percentile and median
    // of 100 bytes. bob: ten reads of 2 MB. carol: reads of 5 kB.
    for (int i = 0; i < 9; i++) {
      read(r, "alice", T0.plusSeconds(i), 100);
    }
    read(r, "alice", T0.plusSeconds(9), 50_000_000);
    for (int i = 0; i < 10; i++) {
      read(r, "bob", T0.plusSeconds(i), 2_000_000);
      read(r, "carol", T0.plusSeconds(i), 5_000);
    }
    // Stream time past the windows and their grace, so the median (an upper bound) is decided.
    read(r, "dave", T0.plusSeconds(3600), 50_000);
    r.flush();
    r.flush();

    // Publications of one alert (a fired window's later events update it) count once.
    assertThat(
            r.alerts().stream().map(a -> tuple(a.getRuleId(), a.getEntity())).distinct().toList())
        .containsExactlyInAnyOrder(
            tuple("large-reads-avg", "arn:aws:iam::111122223333:user/alice"),
            tuple("large-reads-avg", "arn:aws:iam::111122223333:user/bob"),
            tuple("large-reads-p90", "arn:aws:iam::111122223333:user/bob"),
            tuple("small-reads-median", "arn:aws:iam::111122223333:user/alice"));
  }
}
