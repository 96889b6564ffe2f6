package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.http.AccessGuard;
import io.vigil.app.http.HttpEndpoints;
import io.vigil.app.runtime.Health;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in against the attacks of issue 15, on a real HTTP server without Kafka: a
 * cookie that outlives its sign-out, requests forged by another site, and token guessing.
 */
class ConsoleSignInTest {

  private static final String TOKEN = "s1gn-1n-t0ken-f0r-tests-0123456789";
  private static final String EVIL = "https://evil.example";
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
  void theCookieIsRefusedOnceSignedOut() throws Exception {
    start(AccessGuard.requiring(TOKEN));
    String cookie = signIn();
    assertThat(send("GET", "/api/thing", cookie, null).statusCode()).isEqualTo(200);

    HttpResponse<String> out = send("POST", "/console/logout", cookie, own());
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");

    // A copy of the cookie kept by an attacker (or a browser that ignores Max-Age) is dead.
    assertThat(send("GET", "/api/thing", cookie, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/console/app.mjs", cookie, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/console", cookie, null).body()).contains("action=\"/console/login\"");
  }

  @Test
  void eachSignInGetsItsOwnRandomCookieThatHoldsNoToken() throws Exception {
    start(AccessGuard.requiring(TOKEN));
    String first = signIn();
    String second = signIn();

    assertThat(first).isNotEqualTo(second).doesNotContain(TOKEN);
    // 256 random bits, base64url: 43 characters.
    assertThat(first.substring("vigil_session=".length())).matches("[A-Za-z0-9_-]{43}");
    send("POST", "/console/logout", first, own());
    assertThat(send("GET", "/api/thing", second, null).statusCode()).isEqualTo(200);
  }

  @Test
  void signOutFromAnotherSiteIsRefusedAndFromTheConsoleAccepted() throws Exception {
    start(AccessGuard.requiring(TOKEN));
    String cookie = signIn();

    HttpResponse<String> forged = send("POST", "/console/logout", cookie, EVIL);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body())
        .contains("must come from the console's own page")
        .contains("'" + EVIL + "'");
    assertThat(forged.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(send("POST", "/console/logout", cookie, "null").statusCode()).isEqualTo(403);
    assertThat(send("POST", "/console/logout", cookie, null).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/api/thing", cookie, null).statusCode()).isEqualTo(200);

    assertThat(send("POST", "/console/logout", cookie, own()).statusCode()).isEqualTo(303);
    assertThat(send("GET", "/api/thing", cookie, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aChangeMadeWithTheCookieMustComeFromTheConsoleButOneWithTheTokenNeedsNoOrigin()
      throws Exception {
    start(AccessGuard.requiring(TOKEN));
    String cookie = signIn();

    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      HttpResponse<String> forged = send(method, "/api/thing", cookie, EVIL);
      assertThat(forged.statusCode()).as(method).isEqualTo(403);
      assertThat(forged.body()).doesNotContain("secret data");
      assertThat(send(method, "/api/thing", cookie, null).statusCode()).as(method).isEqualTo(403);
      assertThat(send(method, "/api/thing", cookie, own()).statusCode()).as(method).isEqualTo(200);
    }
    // Another port of the same host is another origin.
    assertThat(send("POST", "/api/thing", cookie, "http://127.0.0.1:1").statusCode())
        .isEqualTo(403);
    // Without Origin, the Referer of the console's own page will do.
    assertThat(
            CLIENT
                .send(
                    request("POST", "/api/thing", cookie)
                        .header("Referer", own() + "/console/")
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    // Reading needs no Origin.
    assertThat(send("GET", "/api/thing", cookie, EVIL).statusCode()).isEqualTo(200);

    HttpResponse<String> script =
        CLIENT.send(
            HttpRequest.newBuilder(uri("/api/thing"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).isEqualTo("secret data\n");
  }

  @Test
  void behindAnHttpsProxyTheForwardedHostAndSchemeAreThisServersOrigin() throws Exception {
    start(AccessGuard.requiring(TOKEN));
    String cookie = signIn();

    HttpRequest.Builder viaProxy =
        request("POST", "/api/thing", cookie)
            .header("X-Forwarded-Host", "vigil.example.com")
            .header("X-Forwarded-Proto", "https");
    assertThat(
            CLIENT
                .send(
                    viaProxy.copy().header("Origin", "https://vigil.example.com").build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> plain =
        CLIENT.send(
            viaProxy.copy().header("Origin", "http://vigil.example.com").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(403);
    assertThat(plain.body()).contains("'https://vigil.example.com:443'", "X-Forwarded-Proto");
  }

  @Test
  void signInFromAnotherSiteIsRefused() throws Exception {
    start(AccessGuard.requiring(TOKEN));

    HttpResponse<String> forged = postForm("/console/login", "token=" + TOKEN, EVIL);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(postForm("/console/login", "token=" + TOKEN, own()).statusCode()).isEqualTo(303);
  }

  @Test
  void consolePagesAskBrowsersToSendTheirOriginToThisServerOnly() throws Exception {
    start(AccessGuard.requiring(TOKEN));

    // With no-referrer a browser sends "Origin: null" on the console's own sign-in and sign-out.
    HttpResponse<String> login = send("GET", "/console/login", null, null);
    assertThat(login.headers().firstValue("Referrer-Policy")).contains("same-origin");
    assertThat(login.body()).contains("<meta name=\"referrer\" content=\"same-origin\">");
    HttpResponse<String> page = send("GET", "/console/", signIn(), null);
    assertThat(page.body()).contains("<meta name=\"referrer\" content=\"same-origin\">");
  }

  @Test
  void wrongTokensFromOneAddressAreThrottledWhileAnotherAddressSignsIn() throws Exception {
    start(AccessGuard.requiring(TOKEN));
    InetAddress guesser = InetAddress.getByName("127.0.0.2");
    String wrongForm = "token=guess";

    for (int i = 1; i <= 5; i++) {
      assertThat(rawPost(guesser, "/console/login", wrongForm).status)
          .as("guess %d", i)
          .isEqualTo(401);
    }
    RawResponse throttled = rawPost(guesser, "/console/login", wrongForm);
    assertThat(throttled.status).isEqualTo(429);
    assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
    assertThat(throttled.body).contains("Too many wrong tokens");
    // While it waits, even the right token is not looked at, in the form or in a header.
    assertThat(rawPost(guesser, "/console/login", "token=" + TOKEN).status).isEqualTo(429);
    assertThat(rawGet(guesser, "/api/thing", "Authorization: Bearer " + TOKEN).status)
        .isEqualTo(429);

    // The analyst on 127.0.0.1 is not held up by the guesser.
    HttpResponse<String> analyst = postForm("/console/login", "token=" + TOKEN, own());
    assertThat(analyst.statusCode()).isEqualTo(303);
    assertThat(analyst.headers().firstValue("Set-Cookie")).isPresent();
  }

  @Test
  void wrongBearerTokensAreThrottledToo() throws Exception {
    start(AccessGuard.requiring(TOKEN));
    InetAddress guesser = InetAddress.getByName("127.0.0.2");

    for (int i = 1; i <= 5; i++) {
      assertThat(rawGet(guesser, "/api/thing", "Authorization: Bearer guess" + i).status)
          .isEqualTo(401);
    }
    RawResponse throttled = rawGet(guesser, "/api/thing", "Authorization: Bearer guess6");
    assertThat(throttled.status).isEqualTo(429);
    assertThat(throttled.header("Retry-After")).isNotNull();
    assertThat(
            send("GET", "/api/thing", null, null, "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aStreamOpenedWithTheCookieEndsWhenItsSignInEnds() throws Exception {
    start(AccessGuard.requiring(TOKEN));
    String cookie = signIn();

    HttpResponse<InputStream> stream =
        CLIENT.send(
            request("GET", "/api/ticks", cookie).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      lines.add(reader.readLine());
      assertThat(send("POST", "/console/logout", cookie, own()).statusCode()).isEqualTo(303);
      try {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
        }
      } catch (IOException cutOff) {
        // the server ended the stream mid-chunk: ended all the same
      }
    }
    assertThat(lines.get(0)).isEqualTo("tick 0");
    // The handler runs for a minute unless a write fails; it never got there.
    assertThat(lines).doesNotContain(TICKS_DONE);
  }

  private static final String TICKS_DONE = "the ticks ran to their end";

  private void start(AccessGuard guard) throws Exception {
    http = HttpEndpoints.start("127.0.0.1", 0, () -> Health.ready("test"), registry, guard);
    http.handleOpen("/console", new ConsolePages(guard));
    http.handle(
        "/api/thing", exchange -> HttpEndpoints.send(exchange, 200, "text/plain", "secret data\n"));
    http.handle("/api/ticks", ConsoleSignInTest::ticks);
  }

  // A long response written on the request's thread, as the alert stream is: a line every 100 ms.
  private static void ticks(HttpExchange exchange) {
    try (exchange) {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (int i = 0; i < 600; i++) {
        out.write(("tick " + i + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(100);
      }
      out.write((TICKS_DONE + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException ended) {
      // the sign-in ended, or the test stopped
    }
  }

  private String own() {
    return "http://127.0.0.1:" + http.port();
  }

  private URI uri(String path) {
    return URI.create(own() + path);
  }

  private String signIn() throws Exception {
    HttpResponse<String> signedIn = postForm("/console/login", "token=" + TOKEN, own());
    assertThat(signedIn.statusCode()).isEqualTo(303);
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpRequest.Builder request(String method, String path, String cookie) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .method(
                method,
                method.equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("x"));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return request;
  }

  private HttpResponse<String> send(
      String method, String path, String cookie, String origin, String... headers)
      throws Exception {
    HttpRequest.Builder request = request(method, path, cookie);
    if (origin != null) {
      request.header("Origin", origin);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postForm(String path, String form, String origin) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", origin)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private record RawResponse(int status, List<String> headers, String body) {
    String header(String name) {
      return headers.stream()
          .filter(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1))
          .map(h -> h.substring(name.length() + 1).trim())
          .findFirst()
          .orElse(null);
    }
  }

  private RawResponse rawPost(InetAddress from, String path, String form) throws IOException {
    return raw(
        from,
        "POST "
            + path
            + " HTTP/1.1\r\nOrigin: "
            + own()
            + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + form.length()
            + "\r\n",
        form);
  }

  private RawResponse rawGet(InetAddress from, String path, String header) throws IOException {
    return raw(from, "GET " + path + " HTTP/1.1\r\n" + header + "\r\n", "");
  }

  // The JDK's HttpClient of Java 17 cannot choose its local address: a plain socket from another
  // loopback address plays the second client.
  private RawResponse raw(InetAddress from, String head, String body) throws IOException {
    try (Socket socket = new Socket()) {
      try {
        socket.bind(new InetSocketAddress(from, 0));
      } catch (BindException notOnThisMachine) {
        Assumptions.abort("cannot bind " + from + " (only Linux routes all of 127/8 to loopback)");
      }
      socket.connect(new InetSocketAddress("127.0.0.1", http.port()), 5000);
      socket.setSoTimeout(30_000);
      String request =
          head + "Host: 127.0.0.1:" + http.port() + "\r\nConnection: close\r\n\r\n" + body;
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      List<String> lines = List.of(response.substring(0, end).split("\r\n"));
      return new RawResponse(
          Integer.parseInt(lines.get(0).split(" ")[1]),
          lines.subList(1, lines.size()),
          response.substring(end + 4));
    }
  }
}
