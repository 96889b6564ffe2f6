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
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server closes slow connections by itself (issue 15, item 1): one that sends part of a request
 * and hangs, and one that dribbles its headers a byte at a time (each byte would restart an idle
 * timeout), both within {@code http.request.timeout}; a stream being served is not cut by it. The
 * timeouts are short here and the waits generous.
 */
class RequestHeadDeadlineTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Socket> sockets = new ArrayList<>();
  private HttpEndpoints http;

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (http != null) {
      http.close();
    }
    registry.close();
  }

  @Test
  void connectionsThatNeverFinishTheirRequestHeadAreClosedByTheServer() throws Exception {
    start(Duration.ofSeconds(60), Duration.ofSeconds(1));
    List<Socket> hung = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Socket socket = connect();
      socket.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));
      hung.add(socket);
    }
    Socket dribbler = connect();
    OutputStream out = dribbler.getOutputStream();
    byte[] head = "GET /health HTTP/1.1\r\nHost: vigil\r\n".getBytes(StandardCharsets.US_ASCII);
    long until = System.nanoTime() + WAIT.toNanos();
    boolean closed = false;
    // A byte every 100 ms: far inside the idle timeout (60 s), so only the deadline can close it.
    for (int i = 0; System.nanoTime() < until && !closed; i = (i + 1) % head.length) {
      try {
        out.write(head[i]);
        out.flush();
        Thread.sleep(100);
      } catch (IOException reset) {
        closed = true;
      }
    }
    assertThat(closed).as("the dribbling connection was closed by the server").isTrue();
    for (Socket socket : hung) {
      assertThat(readsEndOfStream(socket)).as("a hung connection was closed").isTrue();
    }
  }

  @Test
  void aResponseThatTakesLongerThanTheDeadlineIsNotCut() throws Exception {
    start(Duration.ofSeconds(60), Duration.ofMillis(500));
    http.handle(
        "/slow",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream body = exchange.getResponseBody()) {
            for (int i = 0; i < 4; i++) {
              body.write(("part " + i + "\n").getBytes(StandardCharsets.US_ASCII));
              body.flush();
              Thread.sleep(500);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Socket socket = connect();
    socket
        .getOutputStream()
        .write(
            "GET /slow HTTP/1.1\r\nHost: vigil\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(response).startsWith("HTTP/1.1 200").contains("part 0").contains("part 3");
  }

  private void start(Duration idle, Duration requestTimeout) throws IOException {
    http =
        HttpEndpoints.start(
            new HttpSettings(
                "127.0.0.1", 0, OptionalInt.empty(), 48, 1000, idle, requestTimeout, 8192),
            () -> Health.ready("test"),
            registry,
            AccessGuard.open());
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", http.port()), (int) WAIT.toMillis());
    socket.setSoTimeout((int) WAIT.toMillis());
    sockets.add(socket);
    return socket;
  }

  private static boolean readsEndOfStream(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (true) {
        if (in.read() == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
