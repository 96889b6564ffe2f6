package io.vigil.app.runtime;

import io.vigil.app.config.ConfigKey;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.ingest.aws.AwsClientSettings;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.DecodeLimits;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.file.FileIngester;
import io.vigil.ingest.file.InboxWatcher;
import io.vigil.ingest.kinesis.KinesisSettings;
import io.vigil.ingest.kinesis.KinesisSource;
import io.vigil.ingest.kinesis.ShardLeases;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.s3.DigestReconciler;
import io.vigil.ingest.s3.S3KeyFilter;
import io.vigil.ingest.s3.S3NotificationSettings;
import io.vigil.ingest.s3.S3NotificationSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The ingest sources of {@code vigil run}, each a {@link PipelineComponent} with its own
 * exactly-once publisher and transactional id ({@code <ingest.transactional.id>-<source>}): the
 * file inbox (on by default on the embedded broker), S3 object notifications through SQS ({@code
 * ingest.s3.queue.url}, with the CloudTrail digests' reconciliation) and a Kinesis stream ({@code
 * ingest.kinesis.stream}), whose shards the instances reading it lease out among themselves ({@link
 * ShardLeases}).
 */
public final class IngestComponents {

  private static final Map<AwsService, ConfigKey<String>> SERVICE_ENDPOINTS =
      Map.of(
          AwsService.S3, ConfigKeys.AWS_S3_ENDPOINT,
          AwsService.SQS, ConfigKeys.AWS_SQS_ENDPOINT,
          AwsService.KINESIS, ConfigKeys.AWS_KINESIS_ENDPOINT);

  private IngestComponents() {}

  static Optional<PipelineComponent> fileInbox(PipelineContext context) {
    VigilConfig config = context.config();
    Optional<Path> inbox =
        config
            .find(ConfigKeys.INGEST_FILES_INBOX)
            .or(
                () ->
                    context.kafka().embedded()
                        ? Optional.of(context.dataDir().resolve("inbox"))
                        : Optional.empty());
    if (inbox.isEmpty()) {
      return Optional.empty();
    }
    TransactionalUnitPublisher publisher = publisher(context, "files");
    try {
      InboxWatcher watcher =
          new InboxWatcher(
              inbox.get(),
              new FileIngester(decoder(config), publisher),
              InboxWatcher.DEFAULT_SETTLE);
      return Optional.of(
          new SourceComponent(
              ComponentKind.FILE_INBOX,
              new SourceComponent.Source() {
                @Override
                public void start() {
                  watcher.start();
                }

                @Override
                public void close() {
                  watcher.close();
                }
              },
              publisher));
    } catch (IOException e) {
      publisher.close();
      throw new UncheckedIOException(
          "cannot watch the inbox " + inbox.get() + ": " + e.getMessage(), e);
    }
  }

  static Optional<PipelineComponent> s3Notifications(PipelineContext context) {
    VigilConfig config = context.config();
    Optional<String> queue = config.find(ConfigKeys.INGEST_S3_QUEUE_URL);
    if (queue.isEmpty()) {
      return Optional.empty();
    }
    AwsClientSettings aws = aws(config);
    TransactionalUnitPublisher publisher = publisher(context, "s3");
    S3Client s3 = aws.s3();
    DigestReconciler digests =
        new DigestReconciler(
            s3,
            publisher,
            s3Filters(config),
            config.get(ConfigKeys.INGEST_S3_DIGESTS_GRACE),
            publisher.transactionalId(),
            context.metrics(),
            Clock.systemUTC());
    S3NotificationSource source =
        new S3NotificationSource(
            aws.sqs(),
            s3,
            decoder(config),
            publisher,
            S3NotificationSettings.forQueue(queue.get(), s3Filters(config)),
            digests);
    return Optional.of(
        new SourceComponent(
            ComponentKind.S3_NOTIFICATIONS,
            new SourceComponent.Source() {
              @Override
              public void start() {
                source.start();
              }

              @Override
              public Optional<String> problem() {
                return source.pollFailure();
              }

              @Override
              public void close() {
                source.close();
              }
            },
            publisher));
  }

  static Optional<PipelineComponent> kinesis(PipelineContext context) {
    VigilConfig config = context.config();
    Optional<String> stream = config.find(ConfigKeys.INGEST_KINESIS_STREAM);
    if (stream.isEmpty()) {
      return Optional.empty();
    }
    KinesisSettings settings =
        KinesisSettings.forStream(stream.get())
            .withStartPosition(
                KinesisSettings.StartPosition.valueOf(
                    config.get(ConfigKeys.INGEST_KINESIS_START).toUpperCase(Locale.ROOT)))
            .withAws(
                new KinesisSettings.Aws(
                    config.find(ConfigKeys.AWS_REGION),
                    aws(config).endpointFor(AwsService.KINESIS).uri()));
    TransactionalUnitPublisher publisher = publisher(context, "kinesis");
    // Every instance with this stream joins one group that leases the shards out among them.
    String leaseTopic = context.topics().checkpoints().name() + "-kinesis-leases";
    ShardLeases leases =
        new ShardLeases(
            context.kafka().clientProperties(),
            leaseTopic,
            leaseTopic + "." + stream.get(),
            publisher.transactionalId() + "-leases");
    KinesisSource source = KinesisSource.shared(settings, publisher, decoder(config), leases);
    return Optional.of(
        new SourceComponent(
            ComponentKind.KINESIS,
            new SourceComponent.Source() {
              @Override
              public void start() {
                source.start();
              }

              @Override
              public Optional<String> problem() {
                return source.callFailure();
              }

              @Override
              public void close() {
                source.close();
              }
            },
            publisher));
  }

  /** {@code ingest.s3.filters}, checked when the configuration loaded; none means every key. */
  public static List<S3KeyFilter> s3Filters(VigilConfig config) {
    return config.find(ConfigKeys.INGEST_S3_FILTERS).orElse(List.of());
  }

  /** The decoder with the configured limits. */
  public static LogDecoder decoder(VigilConfig config) {
    return new AwsLogDecoder(
        new DecodeLimits(
            config.get(ConfigKeys.INGEST_MAX_RECORD_BYTES),
            config.get(ConfigKeys.INGEST_MAX_OBJECT_BYTES)));
  }

  /**
   * AWS client settings from the configuration: region, the endpoint of every service ({@code
   * aws.endpoint}), each service's own ({@code aws.s3.endpoint}, {@code aws.sqs.endpoint}, {@code
   * aws.kinesis.endpoint}) and S3 path style. Which endpoint a client gets, the SDK's {@code
   * AWS_ENDPOINT_URL*} variables included, is {@link AwsClientSettings#endpointFor}'s decision.
   */
  public static AwsClientSettings aws(VigilConfig config) {
    AwsClientSettings aws =
        AwsClientSettings.defaults()
            .withEndpoint(
                config.find(ConfigKeys.AWS_ENDPOINT).map(URI::create).orElse(null),
                config.get(ConfigKeys.AWS_S3_PATH_STYLE));
    if (config.find(ConfigKeys.AWS_REGION).isPresent()) {
      aws = aws.withRegion(config.get(ConfigKeys.AWS_REGION));
    }
    for (Map.Entry<AwsService, ConfigKey<String>> key : SERVICE_ENDPOINTS.entrySet()) {
      Optional<String> endpoint = config.find(key.getValue());
      if (endpoint.isPresent()) {
        aws = aws.withServiceEndpoint(key.getKey(), URI.create(endpoint.get()));
      }
    }
    return aws;
  }

  // The source's part of the transactional id ("files", "s3", "kinesis") is not the component's
  // name: a new one would fence nothing of the old producer, so it stays as it is.
  private static TransactionalUnitPublisher publisher(PipelineContext context, String source) {
    return TransactionalUnitPublisher.start(
        context.kafka().clientProperties(),
        context.config().get(ConfigKeys.INGEST_TRANSACTIONAL_ID) + "-" + source,
        context.topics(),
        context.metrics());
  }
}
