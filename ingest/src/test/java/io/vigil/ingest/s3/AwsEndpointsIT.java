package io.vigil.ingest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.aws.AwsCallException;
import io.vigil.ingest.aws.AwsClientSettings;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.support.ElasticMqServer;
import io.vigil.ingest.support.IngestTopics;
import io.vigil.ingest.support.S3ProxyServer;
import io.vigil.ingest.support.SampleLogs;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import io.vigil.testkit.S3ProxyEmulator;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Per-service endpoints against real emulators on different ports (S3Proxy for S3, ElasticMQ for
 * SQS), and what a source says when an endpoint is wrong: the service, the endpoint, the operation.
 */
@ExtendWith(InProcessKafkaExtension.class)
class AwsEndpointsIT {

  // The bucket S3NotificationSourceIT.s3Event names.
  private static final String BUCKET = "vigil-logs";
  private static final String KEY =
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail_x.json";

  private static S3ProxyServer s3proxy;
  private static ElasticMqServer elasticMq;

  @BeforeAll
  static void startEmulators() throws Exception {
    s3proxy = S3ProxyServer.start();
    elasticMq = ElasticMqServer.start();
  }

  @AfterAll
  static void stopEmulators() {
    if (elasticMq != null) {
      elasticMq.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
  }

  /**
   * Only the per-service endpoints point at the emulators; the general one points at a port where
   * nothing listens, so a client that used it would fail.
   */
  @Test
  void s3OnS3ProxyAndSqsOnElasticMqThroughTheirOwnEndpoints(KafkaCluster kafka) throws Exception {
    AwsClientSettings settings =
        base()
            .withEndpoint(URI.create("http://127.0.0.1:" + FreePorts.one()), true)
            .withServiceEndpoint(AwsService.S3, s3proxy.endpoint())
            .withServiceEndpoint(AwsService.SQS, elasticMq.endpoint());
    assertThat(s3proxy.endpoint().getPort()).isNotEqualTo(elasticMq.endpoint().getPort());
    IngestTopics topics = IngestTopics.create(kafka);

    try (S3Client s3 = settings.s3();
        SqsClient sqs = settings.sqs();
        TransactionalUnitPublisher publisher = publisher(kafka, topics, "endpoints-split")) {
      s3.createBucket(b -> b.bucket(BUCKET));
      String eTag =
          S3ObjectRef.bareETag(
              s3.putObject(
                      b -> b.bucket(BUCKET).key(KEY),
                      RequestBody.fromString(
                          SampleLogs.cloudTrailLine("ev-split") + "\n", StandardCharsets.UTF_8))
                  .eTag());
      String queueUrl = sqs.createQueue(b -> b.queueName("split-" + UUID.randomUUID())).queueUrl();
      sqs.sendMessage(
          b -> b.queueUrl(queueUrl).messageBody(S3NotificationSourceIT.s3Event(KEY, eTag)));

      try (S3NotificationSource source =
          new S3NotificationSource(
              sqs,
              s3,
              new AwsLogDecoder(),
              publisher,
              S3NotificationSettings.forQueue(queueUrl, List.of())
                  .withWaitTime(Duration.ofSeconds(1)))) {
        while (source.pollOnce() > 0) {
          assertThat(source.pollFailure()).isEmpty();
        }
      }
    }
    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactly("ev-split");
  }

  @Test
  void anSqsEndpointPointingAtS3ProxyFailsNamingSqsTheEndpointTheOperationAndTheQueue(
      KafkaCluster kafka) throws Exception {
    AwsClientSettings settings =
        base()
            .withServiceEndpoint(AwsService.S3, s3proxy.endpoint())
            .withServiceEndpoint(AwsService.SQS, s3proxy.endpoint());
    String queueUrl = elasticMq.endpoint() + "/000000000000/wrong-service";
    IngestTopics topics = IngestTopics.create(kafka);

    try (S3Client s3 = settings.s3();
        SqsClient sqs = settings.sqs();
        TransactionalUnitPublisher publisher = publisher(kafka, topics, "endpoints-wrong");
        S3NotificationSource source =
            new S3NotificationSource(
                sqs,
                s3,
                new AwsLogDecoder(),
                publisher,
                S3NotificationSettings.forQueue(queueUrl, List.of())
                    .withWaitTime(Duration.ofSeconds(1)))) {
      assertThatThrownBy(source::pollOnce)
          .isInstanceOf(AwsCallException.class)
          .hasMessageStartingWith(
              "SQS ReceiveMessage on " + s3proxy.endpoint() + " (queue " + queueUrl + ") failed: ")
          // S3Proxy answers SQS's JSON protocol with 501 Not Implemented.
          .hasMessageEndingWith("failed: HTTP 501");
      assertThat(source.pollFailure())
          .hasValueSatisfying(
              reason ->
                  assertThat(reason)
                      .startsWith("SQS ReceiveMessage on " + s3proxy.endpoint())
                      .contains(queueUrl));
    }
  }

  /** Unreachable, then reachable: the failure is reported while it lasts and cleared after. */
  @Test
  void aPollFailureClearsOnceAPollSucceeds(KafkaCluster kafka) throws Exception {
    int port = FreePorts.one();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    AwsClientSettings settings =
        base()
            .withServiceEndpoint(AwsService.S3, s3proxy.endpoint())
            .withServiceEndpoint(AwsService.SQS, endpoint);
    String queueName = "later-" + UUID.randomUUID();
    String queueUrl = endpoint + "/000000000000/" + queueName;
    IngestTopics topics = IngestTopics.create(kafka);

    try (S3Client s3 = settings.s3();
        SqsClient sqs = settings.sqs();
        TransactionalUnitPublisher publisher = publisher(kafka, topics, "endpoints-later");
        S3NotificationSource source =
            new S3NotificationSource(
                sqs,
                s3,
                new AwsLogDecoder(),
                publisher,
                S3NotificationSettings.forQueue(queueUrl, List.of())
                    .withWaitTime(Duration.ofSeconds(1)))) {
      assertThatThrownBy(source::pollOnce).isInstanceOf(AwsCallException.class);
      assertThat(source.pollFailure())
          .hasValueSatisfying(
              reason ->
                  assertThat(reason)
                      .startsWith("SQS ReceiveMessage on " + endpoint + " (queue " + queueUrl)
                      .contains("failed: "));

      try (ElasticMqServer late = ElasticMqServer.start(port);
          SqsClient admin = late.clientSettings().sqs()) {
        admin.createQueue(b -> b.queueName(queueName));
        assertThat(source.pollOnce()).isZero();
        assertThat(source.pollFailure()).isEmpty();
      }
    }
  }

  @Test
  void aBackfillListingOnTheWrongServiceNamesS3ListObjectsAndTheEndpoint(KafkaCluster kafka)
      throws Exception {
    AwsClientSettings settings =
        base()
            .withEndpoint(s3proxy.endpoint(), true)
            .withServiceEndpoint(AwsService.S3, elasticMq.endpoint());
    IngestTopics topics = IngestTopics.create(kafka);

    try (S3Client s3 = settings.s3();
        TransactionalUnitPublisher publisher = publisher(kafka, topics, "endpoints-backfill")) {
      S3Backfill backfill =
          new S3Backfill(s3, new S3ObjectIngester(s3, new AwsLogDecoder(), publisher));
      assertThatThrownBy(
              () ->
                  backfill.run(
                      S3Backfill.Request.of("s3://" + BUCKET + "/AWSLogs/", null, null),
                      BackfillListener.NONE))
          .isInstanceOf(AwsCallException.class)
          .hasMessageStartingWith(
              "S3 ListObjectsV2 on "
                  + elasticMq.endpoint()
                  + " (s3://"
                  + BUCKET
                  + "/AWSLogs/) failed: ");
    }
  }

  @Test
  void aGetObjectOnTheWrongServiceNamesS3GetObjectTheEndpointAndTheObject(KafkaCluster kafka)
      throws Exception {
    AwsClientSettings settings = base().withServiceEndpoint(AwsService.S3, elasticMq.endpoint());
    IngestTopics topics = IngestTopics.create(kafka);

    try (S3Client s3 = settings.s3();
        TransactionalUnitPublisher publisher = publisher(kafka, topics, "endpoints-get")) {
      S3ObjectIngester objects = new S3ObjectIngester(s3, new AwsLogDecoder(), publisher);
      assertThatThrownBy(() -> objects.ingest(new S3ObjectRef(BUCKET, KEY, null, 10)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(
              "S3 GetObject on "
                  + elasticMq.endpoint()
                  + " (s3://"
                  + BUCKET
                  + "/"
                  + KEY
                  + ") failed: ");
    }
  }

  /**
   * The SDK itself honours {@code aws.endpointUrlSqs} (the system property twin of {@code
   * AWS_ENDPOINT_URL_SQS}) when no endpoint override is given, and Vigil reads it the same way:
   * above the general endpoint, below the service's own.
   */
  @Test
  void theSdksServiceSettingIsHonouredByTheSdkAndRanksAboveTheGeneralEndpoint() {
    String property = AwsService.SQS.endpointSystemProperty();
    String before = System.getProperty(property);
    System.setProperty(property, elasticMq.endpoint().toString());
    try {
      try (SqsClient plain =
          SqsClient.builder()
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
              .build()) {
        assertThat(plain.serviceClientConfiguration().endpointOverride())
            .contains(elasticMq.endpoint());
        plain.createQueue(b -> b.queueName("sdk-own-" + UUID.randomUUID()));
      }
      AwsClientSettings general = base().withEndpoint(s3proxy.endpoint(), true);
      assertThat(general.endpointFor(AwsService.SQS).uri()).contains(elasticMq.endpoint());
      assertThat(general.endpointFor(AwsService.SQS).origin())
          .isEqualTo("system property aws.endpointUrlSqs");
      assertThat(general.endpointFor(AwsService.S3).uri()).contains(s3proxy.endpoint());
      try (SqsClient sqs = general.sqs()) {
        sqs.createQueue(b -> b.queueName("vigil-" + UUID.randomUUID()));
      }
    } finally {
      if (before == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, before);
      }
    }
  }

  /** Region and S3Proxy's credentials (ElasticMQ takes any); no endpoint yet. */
  private static AwsClientSettings base() {
    return AwsClientSettings.defaults()
        .withRegion("us-east-1")
        .withCredentials(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyEmulator.IDENTITY, S3ProxyEmulator.CREDENTIAL)));
  }

  private static TransactionalUnitPublisher publisher(
      KafkaCluster kafka, IngestTopics topics, String id) {
    return TransactionalUnitPublisher.start(
        kafka.clientProperties(),
        id + "-" + UUID.randomUUID(),
        topics.topics(),
        new SimpleMeterRegistry());
  }
}
