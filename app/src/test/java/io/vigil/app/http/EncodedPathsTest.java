package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.runtime.Health;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An ARN travels URL-encoded in a path ({@code /api/posture/{arn}}), its '/' and '%' included: the
 * server hands such a path to the handler as it came, while an encoded dot segment is refused.
 */
class EncodedPathsTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpEndpoints http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    registry.close();
  }

  @Test
  void anEncodedArnReachesTheHandlerAsItCameAndAnEncodedDotSegmentIsRefused() throws Exception {
    http =
        HttpEndpoints.start(
            "127.0.0.1", 0, () -> Health.ready("test"), registry, AccessGuard.open());
    http.handle(
        "/api/posture/",
        exchange ->
            HttpEndpoints.send(
                exchange, 200, "text/plain", exchange.getRequestURI().getRawPath() + "\n"));
    String arn = "arn:aws:s3:::logs/key%20with-percent";
    String path = "/api/posture/" + URLEncoder.encode(arn, StandardCharsets.UTF_8);

    HttpResponse<String> one = get(path);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).isEqualTo(path + "\n");
    assertThat(get("/api/posture/%2e%2e/metrics").statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
