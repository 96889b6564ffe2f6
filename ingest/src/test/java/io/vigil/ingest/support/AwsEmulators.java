package io.vigil.ingest.support;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** S3Proxy and ElasticMQ side by side, with a client of each, for the S3 notification ITs. */
public final class AwsEmulators implements AutoCloseable {

  private final S3ProxyServer s3proxy;
  private final ElasticMqServer elasticMq;
  private final S3Client s3;
  private final SqsClient sqs;

  private AwsEmulators(S3ProxyServer s3proxy, ElasticMqServer elasticMq) {
    this.s3proxy = s3proxy;
    this.elasticMq = elasticMq;
    this.s3 = s3proxy.clientSettings().s3();
    this.sqs = elasticMq.clientSettings().sqs();
  }

  /** Starts both and creates {@code buckets}. */
  public static AwsEmulators start(String... buckets) throws Exception {
    S3ProxyServer s3proxy = S3ProxyServer.start();
    ElasticMqServer elasticMq;
    try {
      elasticMq = ElasticMqServer.start();
    } catch (RuntimeException e) {
      s3proxy.close();
      throw e;
    }
    AwsEmulators emulators = new AwsEmulators(s3proxy, elasticMq);
    for (String bucket : buckets) {
      emulators.s3.createBucket(b -> b.bucket(bucket));
    }
    return emulators;
  }

  public S3Client s3() {
    return s3;
  }

  public SqsClient sqs() {
    return sqs;
  }

  @Override
  public void close() {
    s3.close();
    sqs.close();
    elasticMq.close();
    s3proxy.close();
  }
}
