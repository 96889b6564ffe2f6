package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.runtime.Health;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow clients against the real server on real sockets (issue 15, item 1): hundreds of connections
 * that send one byte and hang, and a few that send their headers a byte at a time, must not keep
 * the probes, {@code /metrics} or the API from answering. Each probe may take up to {@link #BOUND}
 * (a generous bound for a loaded machine, not a timing assertion); the JDK's server on two threads
 * never answered them at all.
 */
class SlowClientsTest {

  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final int SLOW = 300;
  private static final int DRIBBLERS = 5;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  {
    registry.counter("vigil.alerts.raised", "rule", "test_rule").increment();
  }

  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService dribble = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(BOUND).build();
  private HttpEndpoints http;

  @AfterEach
  void stop() throws IOException {
    dribble.shutdownNow();
    for (Socket socket : sockets) {
      socket.close();
    }
    if (http != null) {
      http.close();
    }
    registry.close();
  }

  @Test
  void probesMetricsAndApiAnswerWhileHundredsOfSlowClientsHang() throws Exception {
    http =
        HttpEndpoints.start(
            "127.0.0.1", 0, () -> Health.ready("test"), registry, AccessGuard.open());
    // No Streams components and so no alert view: the triage log is never reached.
    QueryApi.register(
        http,
        List.of(),
        List.of(),
        Set.of(),
        io.vigil.sigma.model.RuleSet.builder().build(),
        null,
        null,
        io.vigil.app.access.Users.none(),
        new Peers("127.0.0.1:" + http.port(), java.util.Optional.empty(), true));
    for (int i = 0; i < SLOW; i++) {
      Socket socket = connect();
      socket.getOutputStream().write('G');
      socket.getOutputStream().flush();
    }
    for (int i = 0; i < DRIBBLERS; i++) {
      Socket socket = connect();
      byte[] head =
          "GET /health HTTP/1.1\r\nHost: vigil\r\nX-Slow: 1\r\n"
              .getBytes(StandardCharsets.US_ASCII);
      OutputStream out = socket.getOutputStream();
      int[] next = {0};
      dribble.scheduleAtFixedRate(
          () -> {
            try {
              if (next[0] < head.length) {
                out.write(head[next[0]++]);
                out.flush();
              }
            } catch (IOException closed) {
              // the server may close a slow connection: that is allowed
            }
          },
          0,
          200,
          TimeUnit.MILLISECONDS);
    }

    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("vigil_alerts_raised_total");
    // No Streams component runs here: the API answers that, which is an answer.
    HttpResponse<String> api = get("/api/alerts");
    assertThat(api.statusCode()).isBetween(400, 599);
    assertThat(api.body()).isNotBlank();
  }

  @Test
  void aRequestHeadOverTheLimitIsAnswered431() throws Exception {
    http =
        HttpEndpoints.start(
            "127.0.0.1", 0, () -> Health.ready("test"), registry, AccessGuard.open());

    try (Socket socket = connect()) {
      String head =
          "GET /health HTTP/1.1\r\nHost: vigil\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String status = statusLine(socket.getInputStream());
      assertThat(status).startsWith("HTTP/1.1 431");
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", http.port()), (int) BOUND.toMillis());
    socket.setSoTimeout((int) BOUND.toMillis());
    sockets.add(socket);
    return socket;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
            .timeout(BOUND)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\r' && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }
}
