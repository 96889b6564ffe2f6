package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpProbe;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that cannot read its queue makes {@code /ready} answer 503 with the reason: here the SQS
 * endpoint ({@code aws.sqs.endpoint}) points at S3Proxy, an S3 emulator, as a mistyped port would.
 */
class SourceReadinessIT {

  private static final String ACCESS_KEY = "aws.accessKeyId";
  private static final String SECRET_KEY = "aws.secretAccessKey";

  @TempDir Path dataDir;

  @BeforeEach
  void credentials() {
    // The runtime's clients take credentials from the SDK's default chain, which reads these.
    System.setProperty(ACCESS_KEY, "local");
    System.setProperty(SECRET_KEY, "local");
  }

  @AfterEach
  void noCredentials() {
    System.clearProperty(ACCESS_KEY);
    System.clearProperty(SECRET_KEY);
  }

  @Test
  void anUnreachableSqsEndpointMakesReadyA503NamingSqsTheEndpointAndReceiveMessage()
      throws Exception {
    URI endpoint = URI.create("http://127.0.0.1:" + FreePorts.one());
    String queueUrl = "http://127.0.0.1:9324/000000000000/vigil-notifications";
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(),
            Map.of("VIGIL_RUN_COMPONENTS", "s3-notifications"),
            Map.of(
                "data.dir", dataDir.toString(),
                "kafka.embedded.port", "0",
                "http.port", "0",
                "http.host", "127.0.0.1",
                "topics.partitions", "1",
                "aws.region", "us-east-1",
                "aws.sqs.endpoint", endpoint.toString(),
                "ingest.s3.queue.url", queueUrl));

    try (VigilRuntime runtime = VigilRuntime.start(config, PipelineComponents.all())) {
      String reason =
          "s3-notifications=SQS ReceiveMessage on "
              + endpoint
              + " (queue "
              + queueUrl
              + ") failed: ";
      HttpResponse<String> ready = awaitBody(runtime.httpPort(), reason, Duration.ofSeconds(60));

      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .startsWith("not ready: ")
          .contains(reason)
          .contains("Connection refused");
      // Alive all the same: the source keeps polling and recovers by itself.
      assertThat(HttpProbe.get(runtime.httpPort(), "/health").statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> awaitBody(int port, String text, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> response = HttpProbe.get(port, "/ready");
    while (!response.body().contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      response = HttpProbe.get(port, "/ready");
    }
    return response;
  }
}
