package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDocsTableTest {

  @Test
  void tableHasOneRowPerKeyPlusKafkaPassthrough() {
    List<String> lines = ConfigDocs.markdownTable().lines().toList();

    assertThat(lines.get(0))
        .isEqualTo("| Key | Type | Default | Environment variable | Description |");
    assertThat(lines).hasSize(2 + ConfigKeys.all().size() + 1);
    assertThat(lines)
        .contains(
            "| `http.port` | port | `8080` | `VIGIL_HTTP_PORT` | Port of the HTTP server: /health,"
                + " /ready, /metrics, the API and the console. |",
            "| `shutdown.timeout` | duration | `10s` | `VIGIL_SHUTDOWN_TIMEOUT` | Time allowed for"
                + " an orderly shutdown. |",
            "| `kafka.bootstrap.servers` | string |  | `VIGIL_KAFKA_BOOTSTRAP_SERVERS` | Kafka"
                + " cluster to use; when unset, vigil run starts the embedded single-node broker in"
                + " data.dir. |");
    assertThat(lines.get(lines.size() - 1))
        .startsWith("| `kafka.*` | string |  | `VIGIL_KAFKA_*` |");
  }

  @Test
  void secretKeysAreMarkedAndTheirDefaultsMasked() {
    ConfigKey<String> token =
        ConfigKey.of("api.token", ConfigType.STRING, "dev-token", "Token.").secret();

    assertThat(ConfigDocs.markdownTable(List.of(token)))
        .contains("| `api.token` | string, secret | `****` | `VIGIL_API_TOKEN` | Token. |")
        .doesNotContain("dev-token");
  }

  @Test
  void pipesInCellsAreEscaped() {
    ConfigKey<String> mode =
        ConfigKey.of("x.mode", ConfigType.enumOf("a", "b"), "a", "Either a|b.");

    assertThat(ConfigDocs.markdownTable(List.of(mode))).contains("Either a\\|b.");
  }
}
