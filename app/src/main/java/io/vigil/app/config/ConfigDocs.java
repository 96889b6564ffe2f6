package io.vigil.app.config;

import java.util.List;

/**
 * Generates the README's table of configuration keys from {@link ConfigKeys}, so the docs are
 * produced by the code they describe; {@code ConfigDocsTest} fails when the README drifts.
 */
public final class ConfigDocs {

  /** The README marks the generated table with these lines. */
  public static final String BEGIN_MARKER = "<!-- config-keys:begin -->";

  public static final String END_MARKER = "<!-- config-keys:end -->";

  private ConfigDocs() {}

  /**
   * The Markdown table of every key in {@link ConfigKeys}, plus the {@code kafka.*} passthrough.
   */
  public static String markdownTable() {
    return markdownTable(ConfigKeys.all());
  }

  static String markdownTable(List<ConfigKey<?>> keys) {
    StringBuilder table =
        new StringBuilder()
            .append("| Key | Type | Default | Environment variable | Description |\n")
            .append("|---|---|---|---|---|\n");
    for (ConfigKey<?> key : keys) {
      row(
          table,
          code(key.name()),
          key.type().name() + (key.isSecret() ? ", secret" : ""),
          defaultOf(key),
          code(key.envVar()),
          key.description());
    }
    row(
        table,
        code("kafka.*"),
        "string",
        "",
        code("VIGIL_KAFKA_*"),
        "Any other Kafka client setting, passed to Vigil's clients verbatim without the `kafka.`"
            + " prefix (e.g. `kafka.security.protocol`, `kafka.sasl.jaas.config`). From the"
            + " environment, underscores become dots. A value the Kafka clients would refuse is an"
            + " error at load. Values of settings whose name contains password, secret, jaas, token"
            + " or key are never logged.");
    return table.toString();
  }

  private static <T> String defaultOf(ConfigKey<T> key) {
    return key.defaultValue().map(value -> code(key.display(value))).orElse("");
  }

  private static String code(String text) {
    return "`" + text + "`";
  }

  private static void row(StringBuilder table, String... cells) {
    table.append('|');
    for (String cell : cells) {
      // A literal '|' would end the cell early.
      table.append(' ').append(cell.replace("|", "\\|")).append(" |");
    }
    table.append('\n');
  }
}
