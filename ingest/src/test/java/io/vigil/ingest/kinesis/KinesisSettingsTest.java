package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.ingest.kinesis.KinesisSettings.StartPosition;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KinesisSettingsTest {

  @Test
  void defaultsReadEverythingRetainedWithTheDefaultAwsClient() {
    KinesisSettings settings = KinesisSettings.forStream("audit");

    assertThat(settings.startPosition()).isEqualTo(StartPosition.TRIM_HORIZON);
    assertThat(settings.maxRecordsPerCall()).isEqualTo(1_000);
    assertThat(settings.aws()).isEqualTo(KinesisSettings.Aws.DEFAULTS);
  }

  @Test
  void withersChangeOneSettingEach() {
    KinesisSettings settings =
        KinesisSettings.forStream("audit")
            .withStartPosition(StartPosition.LATEST)
            .withRegion("eu-west-1")
            .withEndpointOverride(
                URI.create("https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com"));

    assertThat(settings.startPosition()).isEqualTo(StartPosition.LATEST);
    assertThat(settings.aws().region()).contains("eu-west-1");
    assertThat(settings.aws().endpointOverride())
        .isEqualTo(Optional.of(URI.create("https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com")));
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void outOfRangeValuesAreRefusedWithTheirName() {
    KinesisSettings settings = KinesisSettings.forStream("audit");

    assertThatThrownBy(() -> settings.withMaxRecordsPerCall(10_001))
        .hasMessageContaining("maxRecordsPerCall");
    assertThatThrownBy(() -> settings.withPollInterval(Duration.ZERO))
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> settings.withReaderThreads(0)).hasMessageContaining("readerThreads");
    assertThatThrownBy(() -> settings.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("backoffMax");
    assertThatThrownBy(() -> KinesisSettings.forStream(" ")).hasMessageContaining("blank");
  }
}
