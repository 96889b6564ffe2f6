package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void s3FilterWithoutALogTypeIsAnErrorNamingTheEntry() {
    assertThatThrownBy(
            () ->
                VigilConfig.load(
                    Optional.empty(), Map.of(), Map.of("ingest.s3.filters", "[{prefix: x}]")))
        .hasMessageContaining("ingest.s3.filters[0]")
        .hasMessageContaining("flag --set ingest.s3.filters");
  }

  @Test
  void noS3FiltersMeansEveryKey() {
    assertThat(IngestComponents.s3Filters(VigilConfig.load(Optional.empty(), Map.of(), Map.of())))
        .isEmpty();
  }
}
