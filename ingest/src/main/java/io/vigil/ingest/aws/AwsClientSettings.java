package io.vigil.ingest.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How ingest reaches AWS: the region ({@code null}: the SDK's default region chain), an endpoint
 * override for S3-compatible stores, emulators or VPC endpoints ({@code null}: AWS's own),
 * path-style S3 addressing, and the credentials ({@code null}: the default credential chain, i.e.
 * environment, profile, web identity, container or instance role). Secrets never go in here as
 * text: only a provider.
 */
public record AwsClientSettings(
    String region, URI endpoint, boolean pathStyle, AwsCredentialsProvider credentials) {

  /** AWS itself, with the default region and credential chains. */
  public static AwsClientSettings defaults() {
    return new AwsClientSettings(null, null, false, null);
  }

  public AwsClientSettings withRegion(String newRegion) {
    return new AwsClientSettings(newRegion, endpoint, pathStyle, credentials);
  }

  public AwsClientSettings withEndpoint(URI newEndpoint, boolean newPathStyle) {
    return new AwsClientSettings(region, newEndpoint, newPathStyle, credentials);
  }

  public AwsClientSettings withCredentials(AwsCredentialsProvider provider) {
    return new AwsClientSettings(region, endpoint, pathStyle, provider);
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
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
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
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  private AwsCredentialsProvider credentialsOrDefault() {
    return credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
  }

  private static ClientOverrideConfiguration timeouts() {
    // No whole-call timeout for S3: a large object streams for as long as it takes.
    return ClientOverrideConfiguration.builder().build();
  }
}
