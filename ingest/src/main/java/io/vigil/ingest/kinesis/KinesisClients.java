package io.vigil.ingest.kinesis;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Builds the synchronous Kinesis client the source reads with, from {@link KinesisSettings.Aws}.
 */
public final class KinesisClients {

  private KinesisClients() {}

  /** A client with credentials from the SDK's default chain (environment, profile, IMDS, ...). */
  public static KinesisClient create(KinesisSettings.Aws aws) {
    return create(aws, DefaultCredentialsProvider.builder().build());
  }

  /** A client with the given credentials (tests against an emulator use static ones). */
  public static KinesisClient create(KinesisSettings.Aws aws, AwsCredentialsProvider credentials) {
    // The HTTP client is named rather than discovered: with several SDK clients on the class path
    // (the S3/SQS sources bring their own) discovery fails on more than one implementation.
    KinesisClientBuilder builder =
        KinesisClient.builder()
            .httpClientBuilder(Apache5HttpClient.builder())
            .credentialsProvider(credentials);
    aws.region().map(Region::of).ifPresent(builder::region);
    aws.endpointOverride().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
