package io.vigil.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small HTTP client for the tests that probe {@code /health}, {@code /ready} and {@code
 * /metrics}, and call the API of a Vigil on this machine.
 */
public final class HttpProbe {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpProbe() {}

  /** The response, or null when nothing answers on the port yet. */
  public static HttpResponse<String> get(int port, String path) throws InterruptedException {
    try {
      return CLIENT.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException notListeningYet) {
      return null;
    }
  }

  /**
   * {@code method path} on the API at {@code port}, with {@code body} (none when null) and the
   * bearer {@code token} (none when null).
   */
  public static HttpResponse<String> send(
      int port, String method, String path, String body, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls {@code /ready} until it answers 200 or the deadline passes; returns the last status. */
  public static int awaitReady(int port, Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    int status = -1;
    while (System.nanoTime() < end) {
      HttpResponse<String> response = get(port, "/ready");
      status = response == null ? -1 : response.statusCode();
      if (status == 200) {
        return status;
      }
      Thread.sleep(200);
    }
    return status;
  }
}
