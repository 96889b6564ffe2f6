package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.runtime.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} tells which rules fired, so with {@code http.token} set it needs the token
 * (Prometheus sends it as a bearer token), unless it is scraped on {@code http.management.port};
 * without a token it stays open; the probes are open everywhere (issue 15, item 7).
 */
class MetricsAccessTest {

  private static final String TOKEN = "4b1d0c9e8f7a6b5c4d3e2f1a0b9c8d7e";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  {
    registry.counter("vigil.alerts.raised", "rule", "test_rule").increment();
  }

  private HttpEndpoints http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    registry.close();
  }

  @Test
  void withATokenMetricsNeedItAndTheProbesDoNot() throws Exception {
    http =
        HttpEndpoints.start(
            "127.0.0.1", 0, () -> Health.ready("test"), registry, AccessGuard.requiring(TOKEN));

    assertThat(get(http.port(), "/metrics", null).statusCode()).isEqualTo(401);
    assertThat(get(http.port(), "/metrics", "wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> scrape = get(http.port(), "/metrics", TOKEN);
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("vigil_alerts_raised_total");
    assertThat(get(http.port(), "/health", null).statusCode()).isEqualTo(200);
    assertThat(get(http.port(), "/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutATokenMetricsStayOpen() throws Exception {
    http =
        HttpEndpoints.start(
            "127.0.0.1", 0, () -> Health.ready("test"), registry, AccessGuard.open());

    assertThat(get(http.port(), "/metrics", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theManagementPortServesProbesAndMetricsWithoutTheTokenAndNothingElse() throws Exception {
    http =
        HttpEndpoints.start(
            new HttpSettings(
                "127.0.0.1",
                0,
                OptionalInt.of(0),
                48,
                1000,
                Duration.ofSeconds(30),
                Duration.ofSeconds(15),
                8192),
            () -> Health.ready("test"),
            registry,
            AccessGuard.requiring(TOKEN));
    http.handle("/api/thing", exchange -> HttpEndpoints.send(exchange, 200, "text/plain", "x\n"));
    int management = http.managementPort();
    assertThat(management).isPositive().isNotEqualTo(http.port());

    assertThat(get(management, "/metrics", null).statusCode()).isEqualTo(200);
    assertThat(get(management, "/health", null).statusCode()).isEqualTo(200);
    assertThat(get(management, "/ready", null).statusCode()).isEqualTo(200);
    assertThat(get(management, "/api/thing", null).statusCode()).isEqualTo(404);
    assertThat(get(management, "/api/thing", TOKEN).statusCode()).isEqualTo(404);
    assertThat(get(http.port(), "/metrics", null).statusCode()).isEqualTo(401);
    assertThat(get(http.port(), "/api/thing", TOKEN).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
