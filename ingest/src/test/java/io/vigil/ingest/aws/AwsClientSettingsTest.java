package io.vigil.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which endpoint each service's client gets: the service's own setting, the SDK's service variable,
 * the general setting, the SDK's general variable, AWS. The SDK's settings are read from maps here;
 * {@code AwsEndpointsIT} shows the same against real emulators.
 */
class AwsClientSettingsTest {

  private static final URI GENERAL = URI.create("http://general:4566");
  private static final URI OWN_SQS = URI.create("http://elasticmq:9324");

  private final Map<String, String> properties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  @Test
  void nothingSetMeansAwsItself() {
    AwsEndpoint endpoint = resolve(AwsClientSettings.defaults(), AwsService.SQS);

    assertThat(endpoint.uri()).isEmpty();
    assertThat(endpoint.origin()).isEqualTo("AWS");
    assertThat(endpoint.describe()).isEqualTo("AWS");
  }

  @Test
  void theGeneralEndpointServesEveryServiceWithoutOneOfItsOwn() {
    AwsClientSettings settings = AwsClientSettings.defaults().withEndpoint(GENERAL, false);

    for (AwsService service : AwsService.values()) {
      assertThat(resolve(settings, service).uri()).contains(GENERAL);
      assertThat(resolve(settings, service).origin()).isEqualTo("configured for every service");
    }
  }

  @Test
  void aServiceEndpointBeatsTheGeneralOneForThatServiceOnly() {
    AwsClientSettings settings =
        AwsClientSettings.defaults()
            .withEndpoint(GENERAL, false)
            .withServiceEndpoint(AwsService.SQS, OWN_SQS);

    assertThat(resolve(settings, AwsService.SQS).uri()).contains(OWN_SQS);
    assertThat(resolve(settings, AwsService.SQS).origin()).isEqualTo("configured for SQS");
    assertThat(resolve(settings, AwsService.S3).uri()).contains(GENERAL);
    assertThat(resolve(settings, AwsService.KINESIS).uri()).contains(GENERAL);
  }

  @Test
  void theSdksServiceVariableBeatsTheGeneralSetting() {
    environment.put("AWS_ENDPOINT_URL_SQS", "http://from-env-sqs:9324");
    AwsClientSettings settings = AwsClientSettings.defaults().withEndpoint(GENERAL, false);

    AwsEndpoint sqs = resolve(settings, AwsService.SQS);
    assertThat(sqs.uri()).contains(URI.create("http://from-env-sqs:9324"));
    assertThat(sqs.origin()).isEqualTo("environment variable AWS_ENDPOINT_URL_SQS");
    assertThat(resolve(settings, AwsService.S3).uri()).contains(GENERAL);
  }

  @Test
  void theServiceSettingBeatsTheSdksServiceVariable() {
    environment.put("AWS_ENDPOINT_URL_SQS", "http://from-env-sqs:9324");
    properties.put("aws.endpointUrlSqs", "http://from-property-sqs:9324");
    AwsClientSettings settings =
        AwsClientSettings.defaults().withServiceEndpoint(AwsService.SQS, OWN_SQS);

    assertThat(resolve(settings, AwsService.SQS).uri()).contains(OWN_SQS);
  }

  @Test
  void theGeneralSettingBeatsTheSdksGeneralVariable() {
    environment.put("AWS_ENDPOINT_URL", "http://from-env:4566");

    assertThat(
            resolve(AwsClientSettings.defaults().withEndpoint(GENERAL, false), AwsService.S3).uri())
        .contains(GENERAL);
    AwsEndpoint unset = resolve(AwsClientSettings.defaults(), AwsService.S3);
    assertThat(unset.uri()).contains(URI.create("http://from-env:4566"));
    assertThat(unset.origin()).isEqualTo("environment variable AWS_ENDPOINT_URL");
  }

  @Test
  void theSdksSystemPropertyBeatsItsEnvironmentVariableAsInTheSdk() {
    environment.put("AWS_ENDPOINT_URL_KINESIS", "http://from-env:4567");
    properties.put("aws.endpointUrlKinesis", "http://from-property:4567");

    AwsEndpoint kinesis = resolve(AwsClientSettings.defaults(), AwsService.KINESIS);
    assertThat(kinesis.uri()).contains(URI.create("http://from-property:4567"));
    assertThat(kinesis.origin()).isEqualTo("system property aws.endpointUrlKinesis");
  }

  @Test
  void ignoringConfiguredEndpointUrlsSkipsTheSdksVariablesButNotVigilsSettings() {
    environment.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    environment.put("AWS_ENDPOINT_URL_SQS", "http://from-env-sqs:9324");
    environment.put("AWS_ENDPOINT_URL", "http://from-env:4566");

    assertThat(resolve(AwsClientSettings.defaults(), AwsService.SQS).uri()).isEmpty();
    assertThat(
            resolve(AwsClientSettings.defaults().withEndpoint(GENERAL, false), AwsService.SQS)
                .uri())
        .contains(GENERAL);
  }

  @Test
  void aVariableThatIsNotAUrlIsAnErrorNamingIt() {
    environment.put("AWS_ENDPOINT_URL_S3", "not a url");

    assertThatThrownBy(() -> resolve(AwsClientSettings.defaults(), AwsService.S3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("environment variable AWS_ENDPOINT_URL_S3")
        .hasMessageContaining("'not a url'");
  }

  @Test
  void theServicesUseTheSdksOwnNames() {
    assertThat(AwsService.S3.endpointEnvironmentVariable()).isEqualTo("AWS_ENDPOINT_URL_S3");
    assertThat(AwsService.SQS.endpointSystemProperty()).isEqualTo("aws.endpointUrlSqs");
    assertThat(AwsService.KINESIS.endpointEnvironmentVariable())
        .isEqualTo("AWS_ENDPOINT_URL_KINESIS");
    assertThat(AwsService.KINESIS.endpointSystemProperty()).isEqualTo("aws.endpointUrlKinesis");
  }

  @Test
  void removingAServiceEndpointFallsBackToTheGeneralOne() {
    AwsClientSettings settings =
        AwsClientSettings.defaults()
            .withEndpoint(GENERAL, true)
            .withServiceEndpoint(AwsService.S3, OWN_SQS)
            .withServiceEndpoint(AwsService.S3, null);

    assertThat(resolve(settings, AwsService.S3).uri()).isEqualTo(Optional.of(GENERAL));
    assertThat(settings.pathStyle()).isTrue();
  }

  private AwsEndpoint resolve(AwsClientSettings settings, AwsService service) {
    return settings.endpointFor(service, properties::get, environment::get);
  }
}
