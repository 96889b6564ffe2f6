package io.vigil.app.http;

import io.vigil.app.config.ConfigKey;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Where the HTTP server listens and the bounds that keep it answering under load or attack: its
 * threads, its connections, how long a connection may stay silent or take to send a request's head,
 * and how large that head may be.
 */
public record HttpSettings(
    String host,
    int port,
    OptionalInt managementPort,
    int maxThreads,
    int maxConnections,
    Duration idleTimeout,
    Duration requestTimeout,
    int maxRequestHeaderBytes) {

  /** Threads kept beyond the alert streams, so that open streams never starve the probes. */
  static final int THREADS_BEYOND_STREAMS = 16;

  /** The defaults of every bound, on {@code host:port} without a management port. */
  public static HttpSettings defaults(String host, int port) {
    return new HttpSettings(
        host,
        port,
        OptionalInt.empty(),
        ConfigKeys.HTTP_THREADS_MAX.defaultValue().orElseThrow(),
        ConfigKeys.HTTP_CONNECTIONS_MAX.defaultValue().orElseThrow(),
        ConfigKeys.HTTP_IDLE_TIMEOUT.defaultValue().orElseThrow(),
        ConfigKeys.HTTP_REQUEST_TIMEOUT.defaultValue().orElseThrow(),
        ConfigKeys.HTTP_REQUEST_HEADERS_MAX_BYTES.defaultValue().orElseThrow());
  }

  /**
   * @throws IllegalArgumentException naming the key of a value out of range
   */
  public static HttpSettings from(VigilConfig config) {
    int streams = config.get(ConfigKeys.CONSOLE_STREAMS_MAX);
    int threads = config.get(ConfigKeys.HTTP_THREADS_MAX);
    if (threads < streams + THREADS_BEYOND_STREAMS) {
      throw new IllegalArgumentException(
          "http.threads.max: expected at least console.streams.max + "
              + THREADS_BEYOND_STREAMS
              + " = "
              + (streams + THREADS_BEYOND_STREAMS)
              + " (each open alert stream holds a thread), got "
              + threads);
    }
    Duration idle = positive(config, ConfigKeys.HTTP_IDLE_TIMEOUT);
    Duration keepAlive = config.get(ConfigKeys.CONSOLE_KEEPALIVE_INTERVAL);
    if (config.get(ConfigKeys.CONSOLE_ENABLED) && keepAlive.compareTo(idle) >= 0) {
      throw new IllegalArgumentException(
          "console.keepalive.interval: expected less than http.idle.timeout ("
              + idle
              + "), or idle alert streams are cut; got "
              + keepAlive);
    }
    OptionalInt management =
        config
            .find(ConfigKeys.HTTP_MANAGEMENT_PORT)
            .map(OptionalInt::of)
            .orElseGet(OptionalInt::empty);
    int port = config.get(ConfigKeys.HTTP_PORT);
    if (management.isPresent() && management.getAsInt() == port && port != 0) {
      throw new IllegalArgumentException(
          "http.management.port: expected a port other than http.port (" + port + ")");
    }
    return new HttpSettings(
        config.get(ConfigKeys.HTTP_HOST),
        port,
        management,
        threads,
        atLeast(config, ConfigKeys.HTTP_CONNECTIONS_MAX, 1),
        idle,
        positive(config, ConfigKeys.HTTP_REQUEST_TIMEOUT),
        atLeast(config, ConfigKeys.HTTP_REQUEST_HEADERS_MAX_BYTES, 1024));
  }

  private static int atLeast(VigilConfig config, ConfigKey<Integer> key, int min) {
    int value = config.get(key);
    if (value < min) {
      throw new IllegalArgumentException(
          key.name() + ": expected at least " + min + ", got " + value);
    }
    return value;
  }

  private static Duration positive(VigilConfig config, ConfigKey<Duration> key) {
    Duration value = config.get(key);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          key.name() + ": expected a duration above 0, got " + value);
    }
    return value;
  }
}
