package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.access.Role;
import io.vigil.app.access.User;
import io.vigil.app.access.Users;
import io.vigil.app.runtime.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token and role checks on a real HTTP server (on a free port), without Kafka. */
class AccessGuardTest {

  private static final String TOKEN = "9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60";
  private static final String ANALYST_TOKEN = "alice-0123456789abcdefghij";
  private static final String VIEWER_TOKEN = "bob-0123456789abcdefghijkl";
  private static final Users USERS =
      Users.of(
          List.of(
              new User("alice", Role.ANALYST, Users.sha256(ANALYST_TOKEN)),
              new User("bob", Role.VIEWER, Users.sha256(VIEWER_TOKEN))));
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
  void withATokenTheApiAnswers401WithoutItAnd200WithIt() throws Exception {
    start(AccessGuard.requiring(TOKEN));

    HttpResponse<String> none = get("/api/thing", List.of());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"vigil\"");
    assertThat(none.body()).doesNotContain(TOKEN);
    assertThat(get("/api/thing", List.of("Authorization", "Bearer wrong")).statusCode())
        .isEqualTo(401);
    assertThat(get("/api/thing", List.of("Authorization", "Bearer " + TOKEN + "x")).statusCode())
        .isEqualTo(401);
    assertThat(get("/api/thing", List.of("Authorization", "Basic " + TOKEN)).statusCode())
        .isEqualTo(401);
    assertThat(get("/api/thing", List.of("Authorization", "Bearer " + TOKEN)).statusCode())
        .isEqualTo(200);
    assertThat(get("/api/thing", List.of("Authorization", "bearer " + TOKEN)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void probesStayOpenWithAToken() throws Exception {
    start(AccessGuard.requiring(TOKEN));

    assertThat(get("/health", List.of()).statusCode()).isEqualTo(200);
    assertThat(get("/ready", List.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutATokenEverythingIsOpen() throws Exception {
    start(AccessGuard.open());

    assertThat(AccessGuard.open().required()).isFalse();
    assertThat(get("/api/thing", List.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenMatchesOnlyItself() {
    AccessGuard guard = AccessGuard.requiring(TOKEN);
    assertThat(guard.userWithToken(TOKEN))
        .hasValueSatisfying(u -> assertThat(u.name()).isEqualTo("http.token"));
    assertThat(guard.userWithToken(TOKEN.substring(1))).isEmpty();
    assertThat(guard.userWithToken(TOKEN.toUpperCase())).isEmpty();
    assertThat(guard.userWithToken("")).isEmpty();
    assertThat(guard.userWithToken(null)).isEmpty();
    assertThat(AccessGuard.open().userWithToken(TOKEN)).isEmpty();
  }

  @Test
  void eachRequestIsMadeAsTheUserWhoseTokenItCarries() throws Exception {
    start(AccessGuard.requiringOneOf(USERS, Sessions.Settings.DEFAULTS));

    assertThat(get("/api/thing", List.of("Authorization", "Bearer " + ANALYST_TOKEN)).body())
        .isEqualTo("GET as alice (analyst)\n");
    assertThat(get("/api/thing", List.of("Authorization", "Bearer " + VIEWER_TOKEN)).body())
        .isEqualTo("GET as bob (viewer)\n");
    assertThat(get("/api/thing", List.of()).statusCode()).isEqualTo(401);
  }

  @Test
  void aViewerReadsButEveryChangeOfTheirsIsRefusedWith403() throws Exception {
    start(AccessGuard.requiringOneOf(USERS, Sessions.Settings.DEFAULTS));

    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> viewer = send(method, "/api/thing", VIEWER_TOKEN);
      assertThat(viewer.statusCode()).as(method).isEqualTo(403);
      assertThat(viewer.body())
          .isEqualTo("403: bob is a viewer; this needs the role analyst or admin\n");
      HttpResponse<String> analyst = send(method, "/api/thing", ANALYST_TOKEN);
      assertThat(analyst.statusCode()).as(method).isEqualTo(200);
      assertThat(analyst.body()).isEqualTo(method + " as alice (analyst)\n");
    }
    assertThat(send("POST", "/api/thing", null).statusCode()).isEqualTo(401);
  }

  @Test
  void withoutUsersEveryRequestIsMadeAsAnonymous() throws Exception {
    start(AccessGuard.open());

    assertThat(send("POST", "/api/thing", null).body()).isEqualTo("POST as anonymous (admin)\n");
  }

  @Test
  void blankTokenOrTokenWithSpacesIsRefusedWithTheKeyNamed() {
    assertThatThrownBy(() -> AccessGuard.requiring(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("http.token: expected a token, got an empty value");
    assertThatThrownBy(() -> AccessGuard.requiring("two words"))
        .hasMessage("http.token: expected a token without spaces or control characters");
  }

  @Test
  void aTokenShorterThan128BitsIsRefusedWithHowToMakeOne() {
    assertThatThrownBy(() -> AccessGuard.requiring("a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "http.token: expected a token of at least 22 characters (128 bits or more; generate one"
                + " with: openssl rand -base64 24), got a token of 1 characters");
    assertThat(AccessGuard.requiring("x".repeat(22)).required()).isTrue();
  }

  @Test
  void aPeerTokenMustBeOneTheOtherInstancesAccept() {
    String token = "t".repeat(30);
    Map<String, String> settings =
        Map.of("http.token", token, "http.peer_token", "p".repeat(30), "data.dir", "/tmp");
    assertThatThrownBy(
            () ->
                AccessGuard.from(
                    io.vigil.app.config.VigilConfig.load(
                        java.util.Optional.empty(), Map.of(), settings)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("http.peer_token: is not the token of an http.users entry");
    assertThat(
            AccessGuard.from(
                    io.vigil.app.config.VigilConfig.load(
                        java.util.Optional.empty(),
                        Map.of(),
                        Map.of("http.token", token, "http.peer_token", token, "data.dir", "/tmp")))
                .required())
        .isTrue();
  }

  @Test
  void bearerAndCookieHeadersAreParsed() {
    assertThat(AccessGuard.bearer(List.of("Bearer  abc "))).contains("abc");
    assertThat(AccessGuard.bearer(List.of("Basic abc"))).isEmpty();
    assertThat(AccessGuard.bearer(null)).isEmpty();
    assertThat(AccessGuard.cookies(List.of("a=1; vigil_session=xyz; b=2"), "vigil_session"))
        .containsExactly("xyz");
    assertThat(AccessGuard.cookies(List.of("vigil_sessionx=1"), "vigil_session")).isEmpty();
  }

  private void start(AccessGuard guard) throws Exception {
    http = HttpEndpoints.start("127.0.0.1", 0, () -> Health.ready("test"), registry, guard);
    http.handle(
        "/api/thing",
        exchange ->
            HttpEndpoints.send(
                exchange,
                200,
                "text/plain",
                exchange.getRequestMethod() + " as " + AccessGuard.userOf(exchange) + "\n"));
  }

  private HttpResponse<String> send(String method, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, List<String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path));
    for (int i = 0; i < headers.size(); i += 2) {
      request.header(headers.get(i), headers.get(i + 1));
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
