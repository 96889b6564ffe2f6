package io.vigil.sinks.http;

import io.vigil.sinks.delivery.DeliveryException;
import io.vigil.sinks.delivery.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP endpoint alerts are POSTed to, and the classifier of its answers: 2xx is delivered; 408,
 * 429 and 5xx are retryable (honouring Retry-After); other statuses are fatal for the alert;
 * connection failures and timeouts are retryable. Messages name the status and at most a short
 * prefix of the answer, never the URL (webhook URLs carry their secret in the path).
 */
public final class HttpReceiver {

  private static final int MAX_BODY_IN_MESSAGE = 300;

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

  /** POSTs {@code body} as JSON with these extra headers; returns the answer of a 2xx. */
  public HttpResponse<String> post(String body, Map<String, String> headers)
      throws DeliveryException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "vigil-sinks")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
    return classify(response);
  }

  private HttpResponse<String> classify(HttpResponse<String> response) throws DeliveryException {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response;
    }
    String body = response.body() == null ? "" : response.body().strip();
    String message =
        "HTTP "
            + status
            + (body.isEmpty()
                ? ""
                : ": "
                    + (body.length() > MAX_BODY_IN_MESSAGE
                        ? body.substring(0, MAX_BODY_IN_MESSAGE) + "..."
                        : body));
    if (status == 408 || status == 429 || status >= 500) {
      Duration retryAfter =
          RetryAfter.parse(
              response.headers().firstValue("Retry-After").orElse(null), clock.instant());
      throw DeliveryException.retryable("http_" + status, message, retryAfter);
    }
    throw DeliveryException.fatal("http_" + status, message);
  }
}
