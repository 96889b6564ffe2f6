package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.runtime.Health;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handler that answers a POST without reading its body (a refusal, a form it ignores) leaves the
 * connection usable for the client's next request, as the JDK's server did: browsers and Java's
 * HttpClient reuse it, and a connection closed under them fails that next request.
 */
class UnreadRequestBodyTest {

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
  void aBodyArrivingAfterTheAnswerDoesNotCostTheConnection() throws Exception {
    http =
        HttpEndpoints.start(
            "127.0.0.1", 0, () -> Health.ready("test"), registry, AccessGuard.open());
    http.handle(
        "/api/ignores-body",
        exchange -> HttpEndpoints.send(exchange, 403, "text/plain", "refused\n"));

    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      out.write(
          ("POST /api/ignores-body HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // The body comes in a later packet, after the handler has answered.
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 403 Forbidden");
      skipResponse(in);
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();

      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
    }
  }

  // Reads the headers and the body of a response with a Content-Length.
  private static void skipResponse(BufferedReader in) throws Exception {
    int length = 0;
    for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    for (int i = 0; i < length; i++) {
      in.read();
    }
  }
}
