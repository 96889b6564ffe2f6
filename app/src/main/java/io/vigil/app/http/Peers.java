package io.vigil.app.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The other instances of this pipeline that hold partitions of a partitioned store (the aggregates,
 * the events), asked over HTTP for their part of an answer: {@code GET <path>?...&scope=local} on
 * each, at once, with {@code http.peer_token} as their bearer token (none when access is open).
 * They are found in Kafka Streams' metadata ({@code application.server}, from {@code
 * http.advertised.host}), so anyone able to join Vigil's consumer groups could name an address
 * there: secure the cluster (SASL or mutual TLS, ACLs) before setting the token.
 */
public final class Peers {

  /** The query parameter that asks an instance for its own partitions only. */
  public static final String LOCAL = "scope=local";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HostInfo self;
  private final Optional<String> token;
  private final boolean open;
  private final HttpClient client;

  /**
   * @param self this instance's {@code host:port} as the others know it
   * @param token {@code http.peer_token}, if set
   * @param open whether this pipeline's API needs no token (then the peers need none either)
   */
  public Peers(String self, Optional<String> token, boolean open) {
    int colon = self.lastIndexOf(':');
    this.self = new HostInfo(self.substring(0, colon), Integer.parseInt(self.substring(colon + 1)));
    this.token = token;
    this.open = open;
    this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /**
   * What the other instances holding partitions of {@code store} answered.
   *
   * @param bodies the body of each 200 answer
   * @param unanswered the instances that did not answer, each with why
   */
  public record Answers(List<String> bodies, List<String> unanswered) {
    /** Whether an instance that holds part of the store is missing from the answer. */
    public boolean partial() {
      return !unanswered.isEmpty();
    }
  }

  /**
   * Asks every other instance holding partitions of {@code store} in {@code app} for {@code
   * pathAndQuery} ({@link #LOCAL} added), all at once, each within 10 s.
   */
  public Answers ask(KafkaStreams app, String store, String pathAndQuery) {
    List<HostInfo> others = new ArrayList<>();
    for (StreamsMetadata metadata : app.streamsMetadataForStore(store)) {
      if (!metadata.hostInfo().equals(self) && !metadata.topicPartitions().isEmpty()) {
        others.add(metadata.hostInfo());
      }
    }
    List<String> bodies = new ArrayList<>();
    List<String> unanswered = new ArrayList<>();
    if (others.isEmpty()) {
      return new Answers(bodies, unanswered);
    }
    if (!open && token.isEmpty()) {
      others.forEach(
          host ->
              unanswered.add(
                  host + " (not asked: set http.peer_token for instances to ask each other)"));
      return new Answers(bodies, unanswered);
    }
    String local = pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + LOCAL;
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    for (HostInfo host : others) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + local))
              .timeout(TIMEOUT)
              .GET();
      token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
      pending.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < others.size(); i++) {
      try {
        HttpResponse<String> response = pending.get(i).join();
        if (response.statusCode() == 200) {
          bodies.add(response.body());
        } else {
          unanswered.add(others.get(i) + " (answered " + response.statusCode() + ")");
        }
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        unanswered.add(
            others.get(i)
                + " ("
                + (cause instanceof IOException ? "unreachable" : cause.getClass().getSimpleName())
                + ")");
      }
    }
    return new Answers(bodies, unanswered);
  }

  /** Whether a request asks for this instance's own partitions only. */
  public static boolean localOnly(String rawQuery) {
    return rawQuery != null && List.of(rawQuery.split("&")).contains(LOCAL);
  }
}
