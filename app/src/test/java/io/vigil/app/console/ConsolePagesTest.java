package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.http.AccessGuard;
import io.vigil.app.http.HtmlHeaders;
import io.vigil.app.http.HttpEndpoints;
import io.vigil.app.runtime.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's page, files and sign-in on a real HTTP server (the JDK's, on a free port), without
 * Kafka.
 */
class ConsolePagesTest {

  private static final String TOKEN = "c0ns0le-t0ken-f0r-tests-1234567890";
  // Never follows redirects: the tests look at them.
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
  void pageAndFilesAreServedFromTheJarWithAStrictContentSecurityPolicy() throws Exception {
    start(AccessGuard.open());

    HttpResponse<String> page = get("/console", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .contains(HtmlHeaders.CONTENT_SECURITY_POLICY);
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.body())
        .contains("<title>Vigil console</title>")
        .contains("/console/app.mjs")
        .doesNotContain("http://", "https://");
    assertThat(get("/console/", null).body()).isEqualTo(page.body());

    HttpResponse<String> script = get("/console/app.mjs", null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .contains("text/javascript; charset=utf-8");
    assertThat(get("/console/view.mjs", null).statusCode()).isEqualTo(200);
    assertThat(get("/console/console.css", null).headers().firstValue("Content-Type"))
        .contains("text/css; charset=utf-8");
  }

  @Test
  void onlyShippedFilesAreServed() throws Exception {
    start(AccessGuard.open());

    assertThat(get("/console/nothing.mjs", null).statusCode()).isEqualTo(404);
    assertThat(get("/console/../console/app.mjs", null).statusCode()).isEqualTo(404);
    assertThat(get("/console/%2e%2e/AlertFeed.class", null).statusCode()).isIn(400, 404);
    assertThat(get("/console/AlertFeed.class", null).statusCode()).isEqualTo(404);
    assertThat(get("/console/sub/app.mjs", null).statusCode()).isEqualTo(404);
  }

  @Test
  void withATokenTheConsoleAsksForItAndSignsInWithACookie() throws Exception {
    start(AccessGuard.requiring(TOKEN));

    HttpResponse<String> page = get("/console", null);
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.body()).contains("<form method=\"post\" action=\"/console/login\"");
    assertThat(get("/console/app.mjs", null).statusCode()).isEqualTo(401);
    assertThat(get("/console/login.css", null).statusCode()).isEqualTo(200);

    HttpResponse<String> wrong = post("/console/login", "token=nope");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("That token is not one this server knows.");
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

    HttpResponse<String> signedIn = post("/console/login", "token=" + TOKEN);
    assertThat(signedIn.statusCode()).isEqualTo(303);
    assertThat(signedIn.headers().firstValue("Location")).contains("/console/");
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("vigil_session=")
        .contains("HttpOnly", "SameSite=Lax", "Path=/")
        .doesNotContain(TOKEN)
        .doesNotContain("Secure");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    assertThat(get("/console", cookie).statusCode()).isEqualTo(200);
    assertThat(get("/console/app.mjs", cookie).statusCode()).isEqualTo(200);
    assertThat(get("/api/thing", cookie).statusCode()).isEqualTo(200);
    assertThat(get("/api/thing", "vigil_session=forged").statusCode()).isEqualTo(401);

    HttpResponse<String> out = post("/console/logout", "");
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
  }

  @Test
  void tokenInTheAddressSignsInOnceAndLeavesTheAddressBar() throws Exception {
    start(AccessGuard.requiring(TOKEN));

    HttpResponse<String> viaQuery = get("/console?token=" + TOKEN, null);
    assertThat(viaQuery.statusCode()).isEqualTo(303);
    assertThat(viaQuery.headers().firstValue("Location")).contains("/console/");
    assertThat(viaQuery.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("vigil_session=");
    assertThat(get("/console?token=wrong", null).statusCode()).isEqualTo(401);
  }

  @Test
  void cookieIsSecureBehindAnHttpsProxy() throws Exception {
    start(AccessGuard.requiring(TOKEN));

    HttpResponse<String> signedIn =
        CLIENT.send(
            HttpRequest.newBuilder(uri("/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-Proto", "https")
                .header("Origin", "https://127.0.0.1:" + http.port())
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
  }

  @Test
  void formFieldsAreDecoded() {
    assertThat(ConsolePages.field("a=1&token=x%2By+z", "token")).contains("x+y z");
    assertThat(ConsolePages.field("token", "token")).contains("");
    assertThat(ConsolePages.field("a=1", "token")).isEmpty();
    assertThat(ConsolePages.field("token=%zz", "token")).contains("");
  }

  private void start(AccessGuard guard) throws Exception {
    http = HttpEndpoints.start("127.0.0.1", 0, () -> Health.ready("test"), registry, guard);
    http.handleOpen("/console", new ConsolePages(guard));
    http.handle(
        "/api/thing", exchange -> HttpEndpoints.send(exchange, 200, "text/plain", "secret data\n"));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + http.port() + path);
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String form) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", "http://127.0.0.1:" + http.port())
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
