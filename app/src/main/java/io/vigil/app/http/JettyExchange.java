package io.vigil.app.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One Jetty request as the JDK's {@link HttpExchange}, so that the API and the console keep their
 * handlers while Jetty serves the connections. It keeps the JDK's contract: {@link
 * #sendResponseHeaders} with a length above 0 sends that many bytes, 0 streams (chunked), -1 sends
 * no body; {@link #close} ends the response. Every {@code text/html} response gets {@link
 * HtmlHeaders} here, whichever handler wrote it.
 */
final class JettyExchange extends HttpExchange {

  private final Request request;
  private final Response response;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private InputStream in;
  private OutputStream out;
  private int status = -1;
  private boolean closed;
  private boolean aborted;

  JettyExchange(Request request, Response response, URI uri) {
    this.request = request;
    this.response = response;
    this.uri = uri;
    for (HttpField field : request.getHeaders()) {
      if (field.getValue() != null) {
        requestHeaders.add(field.getName(), field.getValue());
      }
    }
    this.in = Content.Source.asInputStream(request);
    this.out = Content.Sink.asOutputStream(response);
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return request.getMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    throw new UnsupportedOperationException("Vigil's handlers do not use HTTP contexts");
  }

  @Override
  public void sendResponseHeaders(int code, long length) throws IOException {
    if (status != -1) {
      throw new IOException("headers already sent");
    }
    status = code;
    HtmlHeaders.addTo(responseHeaders);
    response.setStatus(code);
    for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
      for (String value : header.getValue()) {
        response.getHeaders().add(header.getKey(), value);
      }
    }
    boolean head = "HEAD".equals(request.getMethod());
    if (length > 0) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    } else if (length < 0 && !head) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
    } else if (length == 0 && !head) {
      // A stream: the client sees the headers now, as with the JDK's server, not at the first
      // flush of the body.
      out.flush();
    }
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet : null;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    SocketAddress local = request.getConnectionMetaData().getLocalSocketAddress();
    return local instanceof InetSocketAddress inet ? inet : null;
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public String getProtocol() {
    return request.getConnectionMetaData().getProtocol();
  }

  @Override
  public Object getAttribute(String name) {
    return request.getAttribute(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    request.setAttribute(name, value);
  }

  @Override
  public InputStream getRequestBody() {
    return in;
  }

  @Override
  public OutputStream getResponseBody() {
    return out;
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    if (i != null) {
      in = i;
    }
    if (o != null) {
      out = o;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  /**
   * Ends the response. A thread interrupted (a stream the console ended) does not write the last
   * chunk, which would block on a client that stopped reading: the connection is aborted instead.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread().isInterrupted()) {
      aborted = true;
      return;
    }
    try {
      if (status == -1) {
        sendResponseHeaders(500, -1);
      }
      drainRequestBody();
      out.close();
    } catch (IOException gone) {
      aborted = true;
    }
  }

  // A request body the handler did not read (a POST answered 403, a form it ignored) is read to its
  // end, as the JDK's server did: otherwise Jetty closes the connection when the body has not fully
  // arrived yet, and a client that reuses it (browsers, Java's HttpClient) fails its next request.
  // Bounded in bytes and in time, so that a client dribbling a body cannot hold the thread: then
  // Jetty closes the connection, as it would have anyway.
  private void drainRequestBody() {
    long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
    long left = MAX_DRAINED_BYTES;
    while (left > 0) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0 || !moreArrivesWithin(wait)) {
          return;
        }
        continue;
      }
      left -= chunk.remaining();
      chunk.release();
      if (chunk.isLast() || Content.Chunk.isFailure(chunk)) {
        return;
      }
    }
  }

  private boolean moreArrivesWithin(long nanos) {
    CountDownLatch more = new CountDownLatch(1);
    request.demand(more::countDown);
    try {
      return more.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static final long MAX_DRAINED_BYTES = 64 * 1024;
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(1);

  boolean closed() {
    return closed;
  }

  /** Whether the response could not be completed and the connection must be dropped. */
  boolean aborted() {
    return aborted;
  }
}
