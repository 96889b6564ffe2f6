package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.runtime.Health;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every HTML response of the server carries the console's security headers, whichever handler wrote
 * it and however (issue 15, item 7): here a handler that writes its page as the HTML compliance
 * report does, straight through {@code sendResponseHeaders}.
 */
class HtmlHeadersTest {

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
  void anHtmlResponseGetsTheSecurityHeadersAndOtherResponsesAreLeftAlone() throws Exception {
    http =
        HttpEndpoints.start(
            "127.0.0.1", 0, () -> Health.ready("test"), registry, AccessGuard.open());
    http.handle(
        "/api/reports/",
        exchange -> {
          byte[] page = "<html><body>report</body></html>".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
          }
        });

    HttpResponse<String> report = get("/api/reports/cis?format=html");
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.headers().firstValue("Content-Security-Policy"))
        .contains(HtmlHeaders.CONTENT_SECURITY_POLICY);
    assertThat(report.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(report.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(report.headers().firstValue("Referrer-Policy")).contains("same-origin");

    HttpResponse<String> health = get("/health");
    assertThat(health.headers().firstValue("Content-Security-Policy")).isEmpty();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
