package io.vigil.ingest.support;

import io.vigil.ingest.aws.AwsClientSettings;
import io.vigil.testkit.FreePorts;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The SQS emulator of the ITs: ElasticMQ in the test JVM on a free loopback port. */
public final class ElasticMqServer implements AutoCloseable {

  private final SQSRestServer server;
  private final URI endpoint;

  private ElasticMqServer(SQSRestServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  public static ElasticMqServer start() {
    return start(FreePorts.one());
  }

  /** On a port chosen before, e.g. one a client was pointed at while nothing listened there. */
  public static ElasticMqServer start(int port) {
    SQSRestServer server =
        SQSRestServerBuilder.withInterface("127.0.0.1")
            .withPort(port)
            // Queue URLs it hands out then point at itself, not at its default localhost:9324.
            .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
            .start();
    server.waitUntilStarted();
    return new ElasticMqServer(server, URI.create("http://127.0.0.1:" + port));
  }

  public URI endpoint() {
    return endpoint;
  }

  public AwsClientSettings clientSettings() {
    return AwsClientSettings.defaults()
        .withRegion("us-east-1")
        .withEndpoint(endpoint, false)
        .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")));
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
