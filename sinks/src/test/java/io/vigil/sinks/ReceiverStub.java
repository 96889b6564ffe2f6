package io.vigil.sinks;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A real HTTP receiver on 127.0.0.1 and a free port (the JDK's HttpServer) that records every
 * request and answers as scripted: by default 200, or what {@link #answer} says for the n-th
 * request.
 */
public final class ReceiverStub implements AutoCloseable {

  /** One recorded request. */
  public record Request(String method, String path, Headers headers, String body, int status) {
    public String header(String name) {
      return headers.getFirst(name);
    }
  }

  /** A scripted answer. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer of(int status) {
      return new Answer(status, Map.of(), "{}");
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile BiFunction<Integer, Request, Answer> answer = (n, request) -> Answer.of(200);

  public ReceiverStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          int n = count.getAndIncrement();
          Request received =
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().toString(),
                  exchange.getRequestHeaders(),
                  new String(body, StandardCharsets.UTF_8),
                  0);
          Answer a = answer.apply(n, received);
          requests.add(
              new Request(
                  received.method(),
                  received.path(),
                  received.headers(),
                  received.body(),
                  a.status()));
          a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
          if (out.length > 0) {
            exchange.getResponseBody().write(out);
          }
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /** Scripts the answer to the n-th request (0-based, counting every request). */
  public ReceiverStub answer(Function<Integer, Answer> script) {
    this.answer = (n, request) -> script.apply(n);
    return this;
  }

  /**
   * Scripts the answer to the n-th request from the request itself (its status not yet known), e.g.
   * a receiver that echoes what it got.
   */
  public ReceiverStub answer(BiFunction<Integer, Request, Answer> script) {
    this.answer = script;
    return this;
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** The requests answered 2xx: what the receiver accepted. */
  public List<Request> accepted() {
    return requests.stream().filter(r -> r.status() / 100 == 2).toList();
  }

  /** Every request so far, whatever it was answered. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
