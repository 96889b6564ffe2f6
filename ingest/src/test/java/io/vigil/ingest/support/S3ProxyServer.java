package io.vigil.ingest.support;

import io.vigil.ingest.aws.AwsClientSettings;
import io.vigil.testkit.S3ProxyEmulator;
import java.io.IOException;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The testkit's S3 emulator, with the ingest client settings that reach it. */
public final class S3ProxyServer implements AutoCloseable {

  private final S3ProxyEmulator emulator;

  private S3ProxyServer(S3ProxyEmulator emulator) {
    this.emulator = emulator;
  }

  public static S3ProxyServer start() throws IOException, InterruptedException {
    return new S3ProxyServer(S3ProxyEmulator.start());
  }

  public URI endpoint() {
    return emulator.endpoint();
  }

  /** Client settings that reach this emulator: its endpoint, path-style, its credentials. */
  public AwsClientSettings clientSettings() {
    return AwsClientSettings.defaults()
        .withRegion("us-east-1")
        .withEndpoint(emulator.endpoint(), true)
        .withCredentials(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyEmulator.IDENTITY, S3ProxyEmulator.CREDENTIAL)));
  }

  @Override
  public void close() {
    emulator.close();
  }
}
