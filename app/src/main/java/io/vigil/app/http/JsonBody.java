package io.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The JSON object a change request sends (triage, mutes): at most 16 KiB, read once. */
final class JsonBody {

  static final int MAX_BYTES = 16 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonBody() {}

  /**
   * The request's JSON object; empty after answering 413 (too large) or 400 (not a JSON object).
   */
  static Optional<JsonNode> read(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      HttpEndpoints.send(
          exchange,
          413,
          "text/plain",
          "expected a JSON object of at most " + MAX_BYTES + " bytes\n");
      return Optional.empty();
    }
    try {
      JsonNode body = JSON.readTree(bytes);
      if (body != null && body.isObject()) {
        return Optional.of(body);
      }
    } catch (IOException notJson) {
      // answered below
    }
    HttpEndpoints.send(exchange, 400, "text/plain", "expected a JSON object\n");
    return Optional.empty();
  }
}
