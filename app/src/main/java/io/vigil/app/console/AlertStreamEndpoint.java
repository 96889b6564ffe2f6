package io.vigil.app.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.app.console.AlertFeed.Subscription;
import io.vigil.app.console.PublicationLog.Publication;
import io.vigil.app.http.HttpEndpoints;
import io.vigil.schemas.Alert;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/alerts/stream}: the alerts as Server-Sent Events. First the current alerts
 * ({@code event: snapshot}, JSON arrays of up to {@value AlertViewSnapshot#BATCH} alerts, from the
 * alert view), then the publications the snapshot may lack, then {@code event: synced}, then every
 * new publication as the feed reads it ({@code alert}, or {@code remove} for a deleted alert,
 * {@code triage} for a change of an alert's status or assignee). Alerts carry their triage {@code
 * status} and {@code assignee}. Every event after the snapshot but {@code triage} has an id (a
 * {@link FeedPosition}); a browser that reconnects with {@code Last-Event-ID} is sent only what it
 * missed, or, when that is no longer held, the snapshot again. A comment every {@code
 * console.keepalive.interval} keeps idle connections open through proxies.
 *
 * <p>Each stream is written by the server thread that took its request, for as long as it is open;
 * at most {@code console.streams.max} are open at once (then 503), and the server keeps threads
 * beyond them ({@code http.threads.max}), so that open streams cannot starve {@code /health},
 * {@code /ready} and {@code /metrics}.
 */
final class AlertStreamEndpoint implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(AlertStreamEndpoint.class);

  /** How long the browser waits before reconnecting after the stream ends. */
  static final Duration RETRY = Duration.ofSeconds(3);

  private static final int DRAIN = 256;

  private final AlertFeed feed;
  private final AlertViewSnapshot snapshot;
  private final Function<Alert, String> render;
  private final int maxStreams;
  private final int queueCapacity;
  private final Duration keepAlive;
  private final Semaphore slots;
  private final AtomicInteger open = new AtomicInteger();

  AlertStreamEndpoint(
      AlertFeed feed,
      AlertViewSnapshot snapshot,
      Function<Alert, String> render,
      int maxStreams,
      int queueCapacity,
      Duration keepAlive,
      MeterRegistry metrics) {
    this.feed = feed;
    this.snapshot = snapshot;
    this.render = render;
    this.maxStreams = maxStreams;
    this.queueCapacity = queueCapacity;
    this.keepAlive = keepAlive;
    this.slots = new Semaphore(maxStreams);
    Gauge.builder("vigil.console.streams", open, AtomicInteger::get)
        .description("Console alert streams open now")
        .register(metrics);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/api/alerts/stream")) {
      HttpEndpoints.send(
          exchange, 404, "text/plain", "not found: " + exchange.getRequestURI().getPath() + "\n");
      return;
    }
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "GET");
      HttpEndpoints.send(exchange, 405, "text/plain", "the alert stream answers GET only\n");
      return;
    }
    if (!slots.tryAcquire()) {
      exchange.getResponseHeaders().set("Retry-After", "10");
      HttpEndpoints.send(
          exchange,
          503,
          "text/plain",
          "too many open alert streams (console.streams.max="
              + maxStreams
              + "); try again later\n");
      return;
    }
    Subscription subscription;
    try {
      Optional<FeedPosition> seen =
          FeedPosition.parse(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
      subscription = feed.subscribe(seen, queueCapacity);
    } catch (RuntimeException stopping) {
      slots.release();
      HttpEndpoints.send(
          exchange,
          503,
          "text/plain",
          "the alert stream is not available: " + stopping.getMessage() + "\n");
      return;
    }
    open.incrementAndGet();
    stream(exchange, subscription);
  }

  private void stream(HttpExchange exchange, Subscription subscription) {
    subscription.attach(Thread.currentThread());
    try {
      ReadOnlyKeyValueStore<String, Alert> store = null;
      if (!subscription.resumed()) {
        try {
          store = snapshot.open();
        } catch (InvalidStateStoreException rebalancing) {
          exchange.getResponseHeaders().set("Retry-After", "5");
          HttpEndpoints.send(
              exchange, 503, "text/plain", "alert store not available yet; try again\n");
          return;
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache, no-transform");
      // nginx buffers responses unless told not to; a buffered event stream is a silent one.
      exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
      exchange.sendResponseHeaders(200, 0);
      Writer out =
          new OutputStreamWriter(
              new BufferedOutputStream(exchange.getResponseBody(), 1 << 16),
              StandardCharsets.UTF_8);
      out.write(SseFrame.retry(RETRY));
      int sent = 0;
      // The update shown of each alert: a publication the browser already has (the snapshot's,
      // or a replay of one it was sent) is not sent again with the triage state it had then.
      Map<String, Integer> shown = new HashMap<>();
      if (store != null) {
        sent =
            AlertViewSnapshot.send(
                store, render, json -> out.write(SseFrame.event("snapshot", null, json)), shown);
      }
      int replayed = 0;
      for (Publication publication : subscription.backlog()) {
        if (news(publication, shown)) {
          out.write(frame(publication));
          replayed++;
        }
      }
      out.write(
          SseFrame.event(
              "synced",
              subscription.start().id(),
              JsonNodeFactory.instance
                  .objectNode()
                  .put("resumed", subscription.resumed())
                  .put("snapshot", sent)
                  .put("replayed", replayed)
                  .toString()));
      out.flush();
      while (true) {
        Publication next = subscription.queue().poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
          out.write(SseFrame.comment("keep-alive"));
        } else {
          if (news(next, shown)) {
            out.write(frame(next));
          }
          for (int i = 0; i < DRAIN && (next = subscription.queue().poll()) != null; i++) {
            if (news(next, shown)) {
              out.write(frame(next));
            }
          }
        }
        out.flush();
      }
    } catch (InterruptedException | IOException ended) {
      // Interrupted: the feed ended the stream (the browser fell behind, or Vigil is stopping), and
      // a write that was blocked on the browser is aborted with the connection.
      // IOException: the browser went away, or the interrupt closed the connection mid-write.
      String reason = subscription.endReason();
      if (reason != null) {
        log.info("Ended an alert stream: {}", reason);
      }
    } catch (InvalidStateStoreException rebalancing) {
      // The store went away under the snapshot; the browser reconnects and is sent it again.
      log.debug("Alert store became unavailable during a snapshot: {}", rebalancing.getMessage());
    } catch (RuntimeException e) {
      log.warn("Alert stream failed: {}", e.toString());
    } finally {
      finish(exchange, subscription);
    }
  }

  private void finish(HttpExchange exchange, Subscription subscription) {
    feed.unsubscribe(subscription);
    // The server's thread goes on to other requests: no later end of this stream may interrupt it.
    subscription.detach();
    if (subscription.endReason() != null) {
      // Closing normally would write the last chunk, which blocks on a browser that stopped
      // reading; interrupted, the server drops the connection instead.
      Thread.currentThread().interrupt();
    }
    exchange.close();
    Thread.interrupted();
    open.decrementAndGet();
    slots.release();
  }

  /**
   * Whether the browser lacks {@code publication}: it is not an alert's, removes one, or is a later
   * update than the one shown; it is then the one shown.
   */
  static boolean news(Publication publication, Map<String, Integer> shown) {
    if (publication.key() == null) {
      return true;
    }
    if (publication.removes()) {
      shown.remove(publication.key());
      return true;
    }
    Integer had = shown.get(publication.key());
    if (had != null && publication.update() <= had) {
      return false;
    }
    shown.put(publication.key(), publication.update());
    return true;
  }

  private static String frame(Publication publication) {
    return SseFrame.event(publication.event(), publication.id(), publication.data());
  }
}
