package io.vigil.app.http;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paths of one port and their handlers, matched as the JDK's server did: the longest registered
 * prefix of the request's path wins. Each request runs on a thread of Jetty's pool, for as long as
 * its handler takes (the console's alert stream, for as long as it is open).
 */
final class Routes extends Handler.Abstract {

  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  // Reverse order: a longer path sorts before its prefixes, so the first match is the longest.
  private final Map<String, HttpHandler> handlers =
      new ConcurrentSkipListMap<String, HttpHandler>().descendingMap();
  private final HttpHandler fallback;
  private final RequestHeadDeadline deadline;

  Routes(HttpHandler fallback, RequestHeadDeadline deadline) {
    super(InvocationType.BLOCKING);
    this.fallback = fallback;
    this.deadline = deadline;
  }

  void add(String path, HttpHandler handler) {
    handlers.put(path, handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    deadline.busy(request.getConnectionMetaData().getConnection());
    Callback done =
        Callback.from(
            () -> deadline.idle(request.getConnectionMetaData().getConnection()), callback);
    HttpURI target = request.getHttpURI();
    URI uri;
    try {
      String query = target.getQuery();
      uri = URI.create(target.getPath() + (query == null ? "" : "?" + query));
    } catch (IllegalArgumentException malformed) {
      response.setStatus(400);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(
          true,
          StandardCharsets.UTF_8.encode("400: the request's path or query is not a valid URI\n"),
          done);
      return true;
    }
    JettyExchange exchange = new JettyExchange(request, response, uri);
    try {
      handlerFor(uri.getRawPath()).handle(exchange);
    } catch (IOException | RuntimeException e) {
      if (exchange.getResponseCode() == -1 && !Thread.currentThread().isInterrupted()) {
        log.warn("{} {} failed: {}", request.getMethod(), uri.getRawPath(), e.toString());
        try {
          HttpEndpoints.send(exchange, 500, "text/plain", "500: the server failed this request\n");
        } catch (IOException gone) {
          log.debug("Could not send the 500: {}", gone.toString());
        }
      } else {
        log.debug("{} {} ended: {}", request.getMethod(), uri.getRawPath(), e.toString());
      }
    } finally {
      exchange.close();
      // A pool thread must not carry an interrupt meant for this request into the next one.
      boolean interrupted = Thread.interrupted();
      if (exchange.aborted() || interrupted) {
        done.failed(new EofException("response aborted"));
      } else {
        done.succeeded();
      }
    }
    return true;
  }

  private HttpHandler handlerFor(String path) {
    for (Map.Entry<String, HttpHandler> entry : handlers.entrySet()) {
      if (path.startsWith(entry.getKey())) {
        return entry.getValue();
      }
    }
    return fallback;
  }
}
