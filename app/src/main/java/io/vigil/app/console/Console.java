package io.vigil.app.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.app.config.ConfigKey;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.http.HttpEndpoints;
import io.vigil.app.runtime.ComponentKind;
import io.vigil.app.runtime.PipelineComponent;
import io.vigil.app.runtime.StreamsComponent;
import io.vigil.app.triage.TriageLog;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live SOC console of {@code vigil run}, on its HTTP port: the page ({@code /console}) and the
 * alert stream it reads ({@code /api/alerts/stream}), fed by an {@link AlertFeed} on the alerts
 * topic and the alert view's store. Its other data come from the read API ({@code /api/posture},
 * {@code /api/reports/...}). Closing it stops the feed and ends every open stream.
 */
public final class Console implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Console.class);
  // Reading the few recent publications kept for reconnecting browsers takes well under a second;
  // a cluster that does not answer must not hold up the start of the pipeline.
  private static final Duration CATCH_UP = Duration.ofSeconds(10);

  private final AlertFeed feed;

  private Console(AlertFeed feed) {
    this.feed = feed;
  }

  /** The console's settings, checked before anything starts. */
  public record Settings(
      boolean enabled,
      int maxStreams,
      int queue,
      int replay,
      Duration keepAlive,
      boolean loopbackOnly) {

    /**
     * @throws IllegalArgumentException naming the key of a value out of range
     */
    public static Settings from(VigilConfig config) {
      Duration keepAlive = config.get(ConfigKeys.CONSOLE_KEEPALIVE_INTERVAL);
      if (keepAlive.isZero()) {
        throw new IllegalArgumentException(
            "console.keepalive.interval: expected a duration above 0, got 0");
      }
      String host = config.get(ConfigKeys.HTTP_HOST);
      return new Settings(
          config.get(ConfigKeys.CONSOLE_ENABLED),
          atLeastOne(config, ConfigKeys.CONSOLE_STREAMS_MAX),
          atLeastOne(config, ConfigKeys.CONSOLE_STREAM_QUEUE),
          atLeastOne(config, ConfigKeys.CONSOLE_STREAM_REPLAY),
          keepAlive,
          host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
    }

    private static int atLeastOne(VigilConfig config, ConfigKey<Integer> key) {
      int value = config.get(key);
      if (value < 1) {
        throw new IllegalArgumentException(key.name() + ": expected at least 1, got " + value);
      }
      return value;
    }
  }

  /**
   * Starts the feed and serves the console on {@code http}, given the alert view among {@code
   * components}; without the alert view (a runtime of other components) there is no console.
   *
   * @param clientId the Kafka client id of the feed's consumer
   */
  public static Optional<Console> start(
      HttpEndpoints http,
      Settings settings,
      Map<String, Object> clientProperties,
      String clientId,
      Topic<String, Alert> alerts,
      List<PipelineComponent> components,
      TriageLog triage,
      MeterRegistry metrics) {
    Optional<KafkaStreams> found =
        components.stream()
            .filter(c -> c instanceof StreamsComponent s && s.kind() == ComponentKind.ALERT_VIEW)
            .map(c -> ((StreamsComponent) c).streams())
            .findFirst();
    if (found.isEmpty()) {
      log.info("No console: the alert view does not run in this process");
      return Optional.empty();
    }
    KafkaStreams alertView = found.get();

    Function<Alert, String> render = alert -> triage.json(alert).toString();
    AlertFeed feed =
        new AlertFeed(clientProperties, clientId, alerts, settings.replay(), render, metrics);
    try {
      feed.start(CATCH_UP);
    } catch (RuntimeException e) {
      feed.close();
      throw e;
    }
    http.handle(
        "/api/alerts/stream",
        new AlertStreamEndpoint(
            feed,
            new AlertViewSnapshot(alertView),
            render,
            settings.maxStreams(),
            settings.queue(),
            settings.keepAlive(),
            metrics));
    triage.listen(
        change ->
            feed.publishUnpositioned(
                "triage",
                JsonNodeFactory.instance
                    .objectNode()
                    .put("alert_id", change.alertId())
                    .put("status", change.state().recordedStatus().name())
                    .put(
                        "assignee",
                        change.state().assignee().isEmpty() ? null : change.state().assignee())
                    .toString()));
    http.handleOpen("/console", new ConsolePages(http.guard()));
    if (http.guard().required()) {
      log.info(
          "Console at /console on port {}; sign in with a token of http.users or http.token",
          http.port());
    } else if (settings.loopbackOnly()) {
      log.info("Console at /console on port {}", http.port());
    } else {
      log.warn(
          "Console at /console on port {}; it and the API at /api are open to anyone who reaches"
              + " this port: set http.users or http.token (VIGIL_HTTP_TOKEN) to require a token",
          http.port());
    }
    return Optional.of(new Console(feed));
  }

  @Override
  public void close() {
    feed.close();
  }
}
