package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.config.VigilConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The HTTP server's bounds as configured, and the clear refusals of values that cannot work. */
class HttpSettingsTest {

  private static HttpSettings settings(Map<String, String> flags) {
    return HttpSettings.from(VigilConfig.load(Optional.empty(), Map.of(), flags));
  }

  @Test
  void theDefaultsBoundEverything() {
    HttpSettings defaults = settings(Map.of());

    assertThat(defaults.port()).isEqualTo(8080);
    assertThat(defaults.managementPort()).isEmpty();
    assertThat(defaults.maxThreads()).isEqualTo(128);
    assertThat(defaults.maxConnections()).isEqualTo(1000);
    assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(defaults.maxRequestHeaderBytes()).isEqualTo(8192);
    assertThat(HttpSettings.defaults("0.0.0.0", 8080)).isEqualTo(defaults);
  }

  @Test
  void tooFewThreadsForTheAlertStreamsAreRefusedWithTheKeysNamed() {
    assertThatThrownBy(
            () -> settings(Map.of("http.threads.max", "40", "console.streams.max", "32")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "http.threads.max: expected at least console.streams.max + 16 = 48 (each open alert"
                + " stream holds a thread), got 40");
  }

  @Test
  void aKeepAliveThatTheIdleTimeoutWouldCutIsRefused() {
    assertThatThrownBy(
            () -> settings(Map.of("http.idle.timeout", "10s", "console.keepalive.interval", "15s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("console.keepalive.interval: expected less than http.idle.timeout");
  }

  @Test
  void theManagementPortMustDifferFromTheHttpPort() {
    assertThatThrownBy(() -> settings(Map.of("http.port", "8080", "http.management.port", "8080")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("http.management.port: expected a port other than http.port (8080)");
    assertThat(settings(Map.of("http.management.port", "8090")).managementPort()).hasValue(8090);
  }
}
