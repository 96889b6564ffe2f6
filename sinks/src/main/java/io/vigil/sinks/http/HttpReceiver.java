package io.vigil.sinks.http;

import io.vigil.sinks.delivery.DeliveryException;
import io.vigil.sinks.delivery.RetryAfter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One HTTP endpoint alerts are POSTed to, and the classifier of its answers: 2xx is delivered; 408,
 * 429 and 5xx are retryable (honouring Retry-After); other statuses are fatal for the alert;
 * connection failures and timeouts are retryable. Messages name the status and at most a prefix of
 * the answer, never the URL (webhook URLs carry their secret in the path). Only a bounded prefix of
 * any answer is read, so a hostile receiver cannot fill the memory; the runner's {@code Redactor}
 * then masks what the answer echoed of the request (its path, a header) before trimming it further,
 * so that no secret is cut in half and left partly visible.
 */
public final class HttpReceiver {

  // Longer than anything the Redactor keeps, so that it sees whole any secret it must mask.
  private static final int MAX_BODY_READ = 8 * 1024;

  private final HttpClient http;
  private final URI url;
  private final Duration timeout;
  private final Clock clock;

  public HttpReceiver(HttpClient http, URI url, Duration timeout, Clock clock) {
    this.http = http;
    this.url = url;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** POSTs {@code body} as JSON with these extra headers; returns when it was answered 2xx. */
  public void post(String body, Map<String, String> headers) throws DeliveryException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "vigil-sinks")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    int status;
    String answer;
    String retryAfterHeader;
    try {
      HttpResponse<String> response = http.send(request.build(), info -> new BoundedText());
      status = response.statusCode();
      retryAfterHeader = response.headers().firstValue("Retry-After").orElse(null);
      answer = response.body();
    } catch (HttpTimeoutException e) {
      throw DeliveryException.retryable(
          "timeout", "no answer within " + timeout.toMillis() + " ms", null);
    } catch (ConnectException e) {
      throw DeliveryException.retryable("connect_failed", "cannot connect to the receiver", null);
    } catch (IOException e) {
      // The exception text may quote the URL; only its type is reported.
      throw DeliveryException.retryable(
          "io_error",
          "I/O error talking to the receiver (" + e.getClass().getSimpleName() + ")",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.retryable("interrupted", "interrupted while sending", null);
    }
    classify(status, answer.strip(), retryAfterHeader);
  }

  private void classify(int status, String body, String retryAfterHeader) throws DeliveryException {
    if (status >= 200 && status < 300) {
      return;
    }
    String message = "HTTP " + status + (body.isEmpty() ? "" : ": " + body);
    if (status == 408 || status == 429 || status >= 500) {
      Duration retryAfter = RetryAfter.parse(retryAfterHeader, clock.instant());
      throw DeliveryException.retryable("http_" + status, message, retryAfter);
    }
    throw DeliveryException.fatal("http_" + status, message);
  }

  /**
   * The first {@link #MAX_BODY_READ} bytes of an answer as text; the rest is not waited for (the
   * subscription is cancelled), so the request's timeout bounds the whole exchange.
   */
  private static final class BoundedText implements HttpResponse.BodySubscriber<String> {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<String> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        int take = Math.min(buffer.remaining(), MAX_BODY_READ - bytes.size());
        byte[] chunk = new byte[take];
        buffer.get(chunk);
        bytes.write(chunk, 0, take);
      }
      if (bytes.size() >= MAX_BODY_READ) {
        subscription.cancel();
        onComplete();
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
