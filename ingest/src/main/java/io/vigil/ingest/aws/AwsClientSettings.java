package io.vigil.ingest.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How ingest reaches AWS: the region ({@code null}: the SDK's default region chain), endpoint
 * overrides for S3-compatible stores, emulators or VPC endpoints (one for every service and one per
 * service; none: AWS's own), path-style S3 addressing, and the credentials ({@code null}: the
 * default credential chain, i.e. environment, profile, web identity, container or instance role).
 * Secrets never go in here as text: only a provider.
 *
 * <p>{@link #endpointFor} is the one place that decides where each service's client goes; every
 * client Vigil builds for ingest takes its endpoint from there. The more specific setting wins, and
 * at the same specificity Vigil's own setting beats the SDK's environment:
 *
 * <ol>
 *   <li>the service's endpoint ({@code serviceEndpoints}; {@code aws.sqs.endpoint} in Vigil's
 *       configuration);
 *   <li>the SDK's setting for the service: system property {@code aws.endpointUrlSqs}, else
 *       environment variable {@code AWS_ENDPOINT_URL_SQS};
 *   <li>the endpoint for every service ({@code endpoint}; {@code aws.endpoint});
 *   <li>the SDK's general setting: system property {@code aws.endpointUrl}, else environment
 *       variable {@code AWS_ENDPOINT_URL};
 *   <li>AWS's own endpoint (the SDK may still find an {@code endpoint_url} in the shared config
 *       file's profile).
 * </ol>
 *
 * <p>The SDK's settings are skipped when {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} (or {@code
 * aws.ignoreConfiguredEndpointUrls}) is {@code true}, as the SDK itself does.
 */
public record AwsClientSettings(
    String region,
    URI endpoint,
    Map<AwsService, URI> serviceEndpoints,
    boolean pathStyle,
    AwsCredentialsProvider credentials) {

  public AwsClientSettings {
    serviceEndpoints = serviceEndpoints == null ? Map.of() : Map.copyOf(serviceEndpoints);
  }

  /** AWS itself, with the default region and credential chains. */
  public static AwsClientSettings defaults() {
    return new AwsClientSettings(null, null, Map.of(), false, null);
  }

  public AwsClientSettings withRegion(String newRegion) {
    return new AwsClientSettings(newRegion, endpoint, serviceEndpoints, pathStyle, credentials);
  }

  /** The endpoint of every service without one of its own ({@code null}: none), and path style. */
  public AwsClientSettings withEndpoint(URI newEndpoint, boolean newPathStyle) {
    return new AwsClientSettings(region, newEndpoint, serviceEndpoints, newPathStyle, credentials);
  }

  /** The endpoint of one service, before every other setting ({@code null} removes it). */
  public AwsClientSettings withServiceEndpoint(AwsService service, URI serviceEndpoint) {
    Map<AwsService, URI> endpoints = new EnumMap<>(AwsService.class);
    endpoints.putAll(serviceEndpoints);
    if (serviceEndpoint == null) {
      endpoints.remove(service);
    } else {
      endpoints.put(service, serviceEndpoint);
    }
    return new AwsClientSettings(region, endpoint, endpoints, pathStyle, credentials);
  }

  public AwsClientSettings withCredentials(AwsCredentialsProvider provider) {
    return new AwsClientSettings(region, endpoint, serviceEndpoints, pathStyle, provider);
  }

  /** Where {@code service}'s client goes, from these settings and this JVM's environment. */
  public AwsEndpoint endpointFor(AwsService service) {
    return endpointFor(service, System::getProperty, System::getenv);
  }

  /**
   * Where {@code service}'s client goes, reading the SDK's settings from the given system
   * properties and environment (each returns {@code null} for an unset name).
   *
   * @throws IllegalArgumentException when the SDK setting that applies is not a URI
   */
  public AwsEndpoint endpointFor(
      AwsService service, UnaryOperator<String> properties, UnaryOperator<String> environment) {
    URI own = serviceEndpoints.get(service);
    if (own != null) {
      return new AwsEndpoint(service, Optional.of(own), "configured for " + service.displayName());
    }
    boolean ignoreSdk =
        "true".equalsIgnoreCase(trimmed(properties.apply("aws.ignoreConfiguredEndpointUrls")))
            || "true"
                .equalsIgnoreCase(
                    trimmed(environment.apply("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")));
    if (!ignoreSdk) {
      Optional<AwsEndpoint> sdk =
          sdkSetting(
              service,
              properties,
              environment,
              service.endpointSystemProperty(),
              service.endpointEnvironmentVariable());
      if (sdk.isPresent()) {
        return sdk.get();
      }
    }
    if (endpoint != null) {
      return new AwsEndpoint(service, Optional.of(endpoint), "configured for every service");
    }
    if (!ignoreSdk) {
      Optional<AwsEndpoint> sdk =
          sdkSetting(service, properties, environment, "aws.endpointUrl", "AWS_ENDPOINT_URL");
      if (sdk.isPresent()) {
        return sdk.get();
      }
    }
    return new AwsEndpoint(service, Optional.empty(), "AWS");
  }

  /** An S3 client for these settings; the caller closes it. */
  public S3Client s3() {
    var builder =
        S3Client.builder()
            .overrideConfiguration(timeouts())
            .forcePathStyle(pathStyle)
            .credentialsProvider(credentialsOrDefault());
    if (region != null) {
      builder.region(Region.of(region));
    }
    Optional<URI> override = endpointFor(AwsService.S3).uri();
    if (override.isPresent()) {
      builder.endpointOverride(override.get());
      // Stores other than AWS often lack the flexible checksums SDK 2.30+ sends by default.
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder.build();
  }

  /** An SQS client for these settings; the caller closes it. */
  public SqsClient sqs() {
    var builder =
        SqsClient.builder()
            // A long poll holds the call open for up to 20 s; the timeout must allow it.
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .apiCallAttemptTimeout(Duration.ofSeconds(40))
                    .build())
            .credentialsProvider(credentialsOrDefault());
    if (region != null) {
      builder.region(Region.of(region));
    }
    endpointFor(AwsService.SQS).uri().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static Optional<AwsEndpoint> sdkSetting(
      AwsService service,
      UnaryOperator<String> properties,
      UnaryOperator<String> environment,
      String property,
      String variable) {
    String fromProperty = trimmed(properties.apply(property));
    if (fromProperty != null) {
      return Optional.of(endpoint(service, fromProperty, "system property " + property));
    }
    String fromVariable = trimmed(environment.apply(variable));
    if (fromVariable != null) {
      return Optional.of(endpoint(service, fromVariable, "environment variable " + variable));
    }
    return Optional.empty();
  }

  private static AwsEndpoint endpoint(AwsService service, String value, String origin) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException(
          origin + ": expected an endpoint URL such as http://localhost:4566, got '" + value + "'");
    }
    return new AwsEndpoint(service, Optional.of(uri), origin);
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private AwsCredentialsProvider credentialsOrDefault() {
    return credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
  }

  private static ClientOverrideConfiguration timeouts() {
    // No whole-call timeout for S3: a large object streams for as long as it takes.
    return ClientOverrideConfiguration.builder().build();
  }
}
