package io.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.runtime.Health;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operational HTTP endpoints: {@code /health} (the process is alive; a rebalance does not
 * change it), {@code /ready} (the pipeline is doing its job) and {@code /metrics} (Prometheus
 * text), always open for probes; and the place where the API and the console add theirs, behind the
 * {@link AccessGuard} when {@code http.token} is set. Served by the JDK's own HTTP server on two
 * threads, so that a scrape never waits on the pipeline; whatever may take long (the console's
 * alert streams) runs on threads of its own.
 */
public final class HttpEndpoints implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final AccessGuard guard;

  private HttpEndpoints(HttpServer server, ExecutorService executor, AccessGuard guard) {
    this.server = server;
    this.executor = executor;
    this.guard = guard;
  }

  /**
   * Binds and starts serving; {@code port} 0 picks a free port (see {@link #port()}). {@code guard}
   * protects what is added with {@link #handle}, never the probes.
   */
  public static HttpEndpoints start(
      String host,
      int port,
      Supplier<Health> health,
      PrometheusMeterRegistry registry,
      AccessGuard guard)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 32);
    server.createContext(
        "/health",
        exchange -> {
          Health h = health.get();
          respond(
              exchange,
              h.alive() ? 200 : 503,
              "text/plain",
              (h.alive() ? "alive" : "failed") + ": " + h.detail() + "\n");
        });
    server.createContext(
        "/ready",
        exchange -> {
          Health h = health.get();
          respond(
              exchange,
              h.ready() ? 200 : 503,
              "text/plain",
              (h.ready() ? "ready" : "not ready") + ": " + h.detail() + "\n");
        });
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/", notFound());
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "vigil-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new HttpEndpoints(server, executor, guard);
  }

  /**
   * Serves {@code path} (and below) with {@code handler} from now on, to requests the guard admits;
   * the others get 401.
   */
  public void handle(String path, HttpHandler handler) {
    server.createContext(path, guard.protect(handler));
  }

  /**
   * Serves {@code path} (and below) with {@code handler} to every request: it checks access itself.
   */
  public void handleOpen(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  public AccessGuard guard() {
    return guard;
  }

  /** Writes a response and closes the exchange. */
  public static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    respond(exchange, status, contentType, body);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static HttpHandler notFound() {
    return exchange ->
        respond(
            exchange,
            404,
            "text/plain",
            "not found: "
                + exchange.getRequestURI().getPath()
                + " (try /console, /api/alerts, /health, /ready, /metrics)\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
