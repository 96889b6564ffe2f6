package io.vigil.app.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A test client of {@code /api/alerts/stream} on the JDK HttpClient: reads the event stream on a
 * thread of its own and parses it as the WHATWG standard says (fields, multi-line data, comments),
 * so that the tests see events as a browser's EventSource would.
 */
final class EventStreamClient implements AutoCloseable {

  /** One dispatched event, or a comment (name ":"). */
  record Event(String name, String id, String data) {
    boolean isComment() {
      return ":".equals(name);
    }
  }

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final HttpResponse<Stream<String>> response;
  private final Thread reader;

  private EventStreamClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "test-event-stream");
    this.reader.setDaemon(true);
    if (response.statusCode() == 200) {
      reader.start();
    }
  }

  static EventStreamClient open(int port, String token, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/alerts/stream"))
            .header("Accept", "text/event-stream");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return new EventStreamClient(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  private void read() {
    String name = null;
    String id = null;
    StringBuilder data = null;
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(name == null ? "message" : name, id, data.toString()));
          }
          name = null;
          data = null;
        } else if (line.startsWith(":")) {
          events.add(new Event(":", null, line.substring(1).trim()));
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "event" -> name = value;
            case "id" -> id = value;
            case "data" ->
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {} // retry, or a field the standard says to ignore
          }
        }
      }
    } catch (RuntimeException closed) {
      // the test closed the stream, or the server ended it
    }
    events.add(new Event("end", null, ""));
  }

  /**
   * The events up to and including the first that matches, waiting up to {@code deadline} in all.
   */
  List<Event> until(Predicate<Event> wanted, Duration deadline) throws InterruptedException {
    if (status() != 200) {
      throw new AssertionError("the stream was answered " + status() + ", not 200");
    }
    List<Event> seen = new ArrayList<>();
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Event next = events.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new AssertionError("no matching event within " + deadline + "; saw " + summary(seen));
      }
      seen.add(next);
      if (wanted.test(next)) {
        return seen;
      }
      if (next.name().equals("end")) {
        throw new AssertionError("the stream ended before a matching event; saw " + summary(seen));
      }
    }
  }

  private static List<String> summary(List<Event> events) {
    return events.stream()
        .map(
            e ->
                e.name()
                    + (e.data().length() > 120
                        ? "(" + e.data().substring(0, 120) + "...)"
                        : "(" + e.data() + ")"))
        .toList();
  }

  @Override
  public void close() {
    if (response.statusCode() == 200) {
      response.body().close();
    }
    reader.interrupt();
  }
}
