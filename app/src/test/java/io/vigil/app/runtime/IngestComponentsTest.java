package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.ingest.aws.AwsClientSettings;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.s3.S3KeyFilter;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestComponentsTest {

  @Test
  void anSqsLongPollInFlightEndsWellInsideTheDefaultShutdownTimeout() {
    // A stop waits for the poll in flight (the SDK's call cannot be aborted), then a second; the
    // Kafka Streams applications close after it (2-4 s measured) within the same timeout. A 20 s
    // poll made SIGTERM halt with exit 1.
    java.time.Duration poll =
        io.vigil.ingest.s3.S3NotificationSettings.forQueue("http://q", java.util.List.of())
            .waitTime();
    assertThat(poll.plusSeconds(1))
        .isLessThanOrEqualTo(
            ConfigKeys.SHUTDOWN_TIMEOUT.defaultValue().orElseThrow().minusSeconds(4));
  }

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

  @Test
  void eachServiceTakesItsOwnEndpointKeyElseAwsEndpoint() {
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(),
            Map.of("VIGIL_AWS_SQS_ENDPOINT", "http://127.0.0.1:9324"),
            Map.of(
                "aws.endpoint", "http://127.0.0.1:4566",
                "aws.s3.endpoint", "http://127.0.0.1:8081",
                "aws.s3.path.style", "true"));
    AwsClientSettings aws = IngestComponents.aws(config);

    assertThat(endpoint(aws, AwsService.S3, Map.of()))
        .contains(URI.create("http://127.0.0.1:8081"));
    assertThat(endpoint(aws, AwsService.SQS, Map.of()))
        .contains(URI.create("http://127.0.0.1:9324"));
    assertThat(endpoint(aws, AwsService.KINESIS, Map.of()))
        .contains(URI.create("http://127.0.0.1:4566"));
    assertThat(aws.pathStyle()).isTrue();
  }

  /**
   * The documented precedence, end to end from the keys: service key, then the SDK's
   * AWS_ENDPOINT_URL_<SERVICE>, then aws.endpoint, then AWS_ENDPOINT_URL.
   */
  @Test
  void aServiceSpecificSettingBeatsAGeneralOneAndVigilsKeyBeatsTheSdksVariableOfItsRank() {
    Map<String, String> sdk = new HashMap<>();
    sdk.put("AWS_ENDPOINT_URL", "http://sdk-general:4566");
    sdk.put("AWS_ENDPOINT_URL_SQS", "http://sdk-sqs:9324");
    sdk.put("AWS_ENDPOINT_URL_KINESIS", "http://sdk-kinesis:4567");
    AwsClientSettings aws =
        IngestComponents.aws(
            VigilConfig.load(
                Optional.empty(),
                Map.of(),
                Map.of(
                    "aws.endpoint", "http://vigil-general:4566",
                    "aws.kinesis.endpoint", "http://vigil-kinesis:4567")));

    assertThat(endpoint(aws, AwsService.KINESIS, sdk))
        .contains(URI.create("http://vigil-kinesis:4567"));
    assertThat(endpoint(aws, AwsService.SQS, sdk)).contains(URI.create("http://sdk-sqs:9324"));
    assertThat(endpoint(aws, AwsService.S3, sdk)).contains(URI.create("http://vigil-general:4566"));
    AwsClientSettings none =
        IngestComponents.aws(VigilConfig.load(Optional.empty(), Map.of(), Map.of()));
    assertThat(endpoint(none, AwsService.S3, sdk)).contains(URI.create("http://sdk-general:4566"));
    assertThat(endpoint(none, AwsService.S3, Map.of())).isEmpty();
  }

  private static Optional<URI> endpoint(
      AwsClientSettings aws, AwsService service, Map<String, String> environment) {
    return aws.endpointFor(service, name -> null, environment::get).uri();
  }
}
