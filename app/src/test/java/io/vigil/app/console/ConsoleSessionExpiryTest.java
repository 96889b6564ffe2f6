package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.http.AccessGuard;
import io.vigil.app.http.HttpEndpoints;
import io.vigil.app.runtime.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A console sign-in ends by itself, on a real HTTP server: after {@code http.session.ttl} however
 * busy, and after {@code http.session.idle} unused. The durations are short and the waits long.
 */
class ConsoleSessionExpiryTest {

  private static final String TOKEN = "3xp1ry-t0ken-f0r-tests-0123456789";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private HttpEndpoints http;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    registry.close();
  }

  @Test
  void aSignInEndsAfterItsTtlHoweverBusy() throws Exception {
    start(Map.of("http.session.ttl", "3s", "http.session.idle", "1h"));
    String cookie = signIn();
    assertThat(status(cookie)).isEqualTo(200);

    // Busy all along (a request every 200 ms), it still ends; a minute is a generous bound.
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    int status = 200;
    while (status == 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      status = status(cookie);
    }
    assertThat(status).isEqualTo(401);
  }

  @Test
  void aSignInEndsWhenUnusedForItsIdleTime() throws Exception {
    start(Map.of("http.session.ttl", "1h", "http.session.idle", "3s"));
    String cookie = signIn();
    assertThat(status(cookie)).isEqualTo(200);

    Thread.sleep(4000);

    assertThat(status(cookie)).isEqualTo(401);
    assertThat(status(signIn())).isEqualTo(200);
  }

  private void start(Map<String, String> sessions) throws Exception {
    VigilConfig config =
        VigilConfig.load(Optional.empty(), Map.of("VIGIL_HTTP_TOKEN", TOKEN), sessions);
    AccessGuard guard = AccessGuard.from(config);
    http = HttpEndpoints.start("127.0.0.1", 0, () -> Health.ready("test"), registry, guard);
    http.handleOpen("/console", new ConsolePages(guard));
    http.handle(
        "/api/thing", exchange -> HttpEndpoints.send(exchange, 200, "text/plain", "secret data\n"));
  }

  private String origin() {
    return "http://127.0.0.1:" + http.port();
  }

  private String signIn() throws Exception {
    HttpResponse<String> signedIn =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(origin() + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin())
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).isEqualTo(303);
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private int status(String cookie) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(URI.create(origin() + "/api/thing"))
                .header("Cookie", cookie)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
