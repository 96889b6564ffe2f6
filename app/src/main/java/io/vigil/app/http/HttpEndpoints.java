package io.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.runtime.Health;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: {@code /health} (the process is alive; a rebalance does not change it) and
 * {@code /ready} (the pipeline is doing its job), always open for probes; {@code /metrics}
 * (Prometheus text), behind the {@link AccessGuard} when {@code http.token} is set, since it tells
 * which rules fired; and the place where the API and the console add theirs, behind the guard. With
 * {@code http.management.port} a second port serves the probes and {@code /metrics} only, without a
 * token, for a cluster-internal scrape.
 *
 * <p>Served by Jetty (NIO: an idle or slow connection holds no thread) within the bounds of {@link
 * HttpSettings}: a pool of threads, a connection limit per port, an idle timeout, a deadline for a
 * request's head ({@link RequestHeadDeadline}) and a size limit on it (431 beyond). The handlers
 * keep the JDK's {@code HttpExchange} API through {@link JettyExchange}.
 */
public final class HttpEndpoints implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final ServerConnector management;
  private final Routes routes;
  private final AccessGuard guard;

  private HttpEndpoints(
      Server server,
      ServerConnector connector,
      ServerConnector management,
      Routes routes,
      AccessGuard guard) {
    this.server = server;
    this.connector = connector;
    this.management = management;
    this.routes = routes;
    this.guard = guard;
  }

  /**
   * Binds {@code host:port} with the default bounds and starts serving; {@code port} 0 picks a free
   * port (see {@link #port()}).
   */
  public static HttpEndpoints start(
      String host,
      int port,
      Supplier<Health> health,
      PrometheusMeterRegistry registry,
      AccessGuard guard)
      throws IOException {
    return start(HttpSettings.defaults(host, port), health, registry, guard);
  }

  /**
   * Binds and starts serving; a port 0 picks a free port (see {@link #port()}, {@link
   * #managementPort()}). {@code guard} protects what is added with {@link #handle} and {@code
   * /metrics} on the main port, never the probes.
   */
  public static HttpEndpoints start(
      HttpSettings settings,
      Supplier<Health> health,
      PrometheusMeterRegistry registry,
      AccessGuard guard)
      throws IOException {
    QueuedThreadPool threads =
        new QueuedThreadPool(settings.maxThreads(), Math.min(8, settings.maxThreads()));
    threads.setName("vigil-http");
    threads.setDaemon(true);
    Server server = new Server(threads);
    server.setStopTimeout(2000);
    RequestHeadDeadline deadline = new RequestHeadDeadline(settings.requestTimeout());
    server.addBean(deadline);

    HttpHandler metrics =
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    Routes routes = new Routes(notFound(), deadline);
    routes.add("/health", healthHandler(health));
    routes.add("/ready", readyHandler(health));
    routes.add("/metrics", guard.protect(metrics));
    ServerConnector connector = connector(server, settings, "http", settings.port(), deadline);

    ServerConnector management = null;
    Routes managementRoutes = null;
    if (settings.managementPort().isPresent()) {
      management =
          connector(server, settings, "management", settings.managementPort().getAsInt(), deadline);
      managementRoutes =
          new Routes(
              exchange ->
                  respond(
                      exchange,
                      404,
                      "text/plain",
                      "not found: the management port serves /health, /ready and /metrics\n"),
              deadline);
      managementRoutes.add("/health", healthHandler(health));
      managementRoutes.add("/ready", readyHandler(health));
      managementRoutes.add("/metrics", metrics);
    }
    server.setHandler(byPort(management, managementRoutes, routes));
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // the start failure is the one to report
      }
      throw new IOException(
          "cannot serve HTTP on "
              + settings.host()
              + ":"
              + settings.port()
              + settings.managementPort().stream()
                  .mapToObj(p -> " and port " + p)
                  .findFirst()
                  .orElse("")
              + ": "
              + e.getMessage(),
          e);
    }
    return new HttpEndpoints(server, connector, management, routes, guard);
  }

  private static ServerConnector connector(
      Server server, HttpSettings settings, String name, int port, RequestHeadDeadline deadline) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(settings.maxRequestHeaderBytes());
    // An ARN in a path is URL-encoded, '/' and '%' included (/api/posture/{arn}). Routes match the
    // raw path and handlers decode it once, so an encoded separator cannot confuse them; an
    // encoded dot segment (%2e%2e) is still refused.
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "vigil-encoded-arns",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setName(name);
    connector.setHost(settings.host());
    connector.setPort(port);
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    connector.addBean(deadline);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
    return connector;
  }

  private static Handler byPort(
      ServerConnector management, Routes managementRoutes, Routes routes) {
    if (management == null) {
      return routes;
    }
    Handler.Sequence both = new Handler.Sequence();
    both.addHandler(
        new Handler.Wrapper(managementRoutes) {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            return request.getConnectionMetaData().getConnector() == management
                && super.handle(request, response, callback);
          }
        });
    both.addHandler(routes);
    return both;
  }

  /**
   * Serves {@code path} (and below) with {@code handler} from now on, to requests the guard admits;
   * the others get 401.
   */
  public void handle(String path, HttpHandler handler) {
    routes.add(path, guard.protect(handler));
  }

  /**
   * Serves {@code path} (and below) with {@code handler} to every request: it checks access itself.
   */
  public void handleOpen(String path, HttpHandler handler) {
    routes.add(path, handler);
  }

  public AccessGuard guard() {
    return guard;
  }

  /** Writes a response and closes the exchange. */
  public static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    respond(exchange, status, contentType, body);
  }

  /**
   * Whether the request's method is one of {@code methods}; if not, answers 405 with {@code Allow}
   * listing them.
   */
  static boolean allows(HttpExchange exchange, String... methods) throws IOException {
    if (java.util.Arrays.asList(methods).contains(exchange.getRequestMethod())) {
      return true;
    }
    methodNotAllowed(exchange, methods);
    return false;
  }

  /** Answers 405 with {@code Allow} listing the methods the path takes. */
  static void methodNotAllowed(HttpExchange exchange, String... methods) throws IOException {
    exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
    send(exchange, 405, "text/plain", "405: expected " + String.join(" or ", methods) + "\n");
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** The port of {@code http.management.port}, or -1 when there is none. */
  public int managementPort() {
    return management == null ? -1 : management.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the HTTP server: " + e.getMessage(), e);
    }
  }

  private static HttpHandler healthHandler(Supplier<Health> health) {
    return exchange -> {
      Health h = health.get();
      respond(
          exchange,
          h.alive() ? 200 : 503,
          "text/plain",
          (h.alive() ? "alive" : "failed") + ": " + h.detail() + "\n");
    };
  }

  private static HttpHandler readyHandler(Supplier<Health> health) {
    return exchange -> {
      Health h = health.get();
      respond(
          exchange,
          h.ready() ? 200 : 503,
          "text/plain",
          (h.ready() ? "ready" : "not ready") + ": " + h.detail() + "\n");
    };
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
