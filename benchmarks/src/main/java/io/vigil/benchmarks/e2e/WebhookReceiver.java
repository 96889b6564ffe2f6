package io.vigil.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;

/**
 * A local webhook receiver for {@code vigil run}'s webhook sink: answers 200 to every POST and
 * passes on each event id of the alert in the body, with the time it arrived.
 */
final class WebhookReceiver implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final AtomicLong requests = new AtomicLong();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start(ObjLongConsumer<String> onEventId) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    ObjectMapper mapper = new ObjectMapper();
    WebhookReceiver receiver = new WebhookReceiver(server);
    server.createContext(
        "/",
        exchange -> {
          long at = System.nanoTime();
          try (InputStream body = exchange.getRequestBody()) {
            JsonNode alert = mapper.readTree(body);
            for (JsonNode id : alert.path("event_ids")) {
              onEventId.accept(id.asText(), at);
            }
            receiver.requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
          } catch (IOException e) {
            exchange.sendResponseHeaders(400, -1);
          } finally {
            exchange.close();
          }
        });
    server.setExecutor(receiver.threads);
    server.start();
    return receiver;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
  }

  long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
