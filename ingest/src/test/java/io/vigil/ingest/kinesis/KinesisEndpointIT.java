package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.support.ElasticMqServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A Kinesis source whose endpoint is another service (ElasticMQ, an SQS emulator) says so: its
 * failure names Kinesis, the endpoint, ListShards and the stream. No Kinesis emulator is needed.
 */
class KinesisEndpointIT {

  @Test
  void aKinesisEndpointOnTheWrongServiceReportsListShardsWithTheEndpointAndTheStream()
      throws Exception {
    try (ElasticMqServer sqs = ElasticMqServer.start()) {
      KinesisSettings settings =
          KinesisSettings.forStream("audit")
              .withRegion("us-east-1")
              .withEndpointOverride(sqs.endpoint())
              .withShardListInterval(Duration.ofMillis(500));
      try (KinesisClient client =
              KinesisClients.create(
                  settings.aws(),
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")));
          KinesisSource source =
              new KinesisSource(settings, client, new InMemoryPublisher(), new TextDecoder())) {
        source.start();
        Optional<String> failure = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (failure.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(100);
          failure = source.callFailure();
        }

        assertThat(failure)
            .hasValueSatisfying(
                reason ->
                    assertThat(reason)
                        .startsWith(
                            "Kinesis ListShards on "
                                + sqs.endpoint()
                                + " (stream audit) failed: "));
        assertThat(source.shardPhases()).isEmpty();
      }
    }
  }
}
