package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.ingest.s3.S3KeyFilter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestComponentsTest {

  @Test
  void s3FiltersAreReadAsLogTypePrefixAndSuffix() {
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "ingest.s3.filters",
                "[{log_type: cloudtrail, prefix: AWSLogs/, suffix: .json.gz}, {log_type: vpcflow,"
                    + " prefix: flows/}]"));
    assertThat(IngestComponents.s3Filters(config))
        .containsExactly(
            new S3KeyFilter("cloudtrail", "AWSLogs/", ".json.gz"),
            new S3KeyFilter("vpcflow", "flows/", ""));
  }

  @Test
  void aLogTypeIsOptional() {
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(), Map.of(), Map.of("ingest.s3.filters", "[{prefix: AWSLogs/}]"));

    assertThat(IngestComponents.s3Filters(config)).containsExactly(S3KeyFilter.of("AWSLogs/", ""));
    assertThat(config.get(ConfigKeys.INGEST_S3_FILTERS)).isNotEmpty();
  }

  @Test
  void everyBadFilterEntryIsNamedWithWhatWasWrong() {
    assertThatThrownBy(
            () ->
                VigilConfig.load(
                    Optional.empty(),
                    Map.of(),
                    Map.of(
                        "ingest.s3.filters",
                        "[{log_type: cloudtrial, prefix: AWSLogs/}, {log_type: vpcflow, sufix:"
                            + " .log.gz}, {prefix: 's3://logs/AWSLogs/'}, {prefix: /AWSLogs/},"
                            + " {prefix: [a, b]}, {}, flows/, {log_type: elb}]")))
        .hasMessageContaining(
            "ingest.s3.filters[0]: log_type: unknown log type 'cloudtrial' (did you mean"
                + " cloudtrail?); expected one of cloudtrail, vpcflow, or no log_type for keys of"
                + " any type")
        .hasMessageContaining(
            "ingest.s3.filters[1]: unknown field 'sufix' (did you mean suffix?); the fields are"
                + " log_type, prefix, suffix")
        .hasMessageContaining(
            "ingest.s3.filters[2]: prefix: expected a key prefix inside the bucket")
        .hasMessageContaining("ingest.s3.filters[3]: prefix: '/AWSLogs/' starts with '/'")
        .hasMessageContaining("ingest.s3.filters[4]: prefix: expected text, got a list")
        .hasMessageContaining("ingest.s3.filters[5]: an empty filter takes every key")
        .hasMessageContaining("ingest.s3.filters[6]: expected {log_type, prefix, suffix}, got")
        .hasMessageContaining(
            "ingest.s3.filters[7]: log_type: unknown log type 'elb'; expected one of cloudtrail,"
                + " vpcflow")
        .hasMessageContaining("flag --set ingest.s3.filters");
  }

  @Test
  void noS3FiltersMeansEveryKey() {
    assertThat(IngestComponents.s3Filters(VigilConfig.load(Optional.empty(), Map.of(), Map.of())))
        .isEmpty();
  }
}
