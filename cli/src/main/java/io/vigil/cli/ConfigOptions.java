package io.vigil.cli;

import io.vigil.app.config.VigilConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The configuration options every command shares: the config file, any key as {@code --set}, and
 * flags for the keys people change most. Flags win over the environment, which wins over the file,
 * which wins over the defaults.
 */
public final class ConfigOptions {

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file (default: $VIGIL_CONFIG if set).")
  Path configFile;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description = "Set any configuration key, e.g. --set http.port=9090 (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Sets data.dir.")
  String dataDir;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Sets kafka.bootstrap.servers (use this Kafka cluster, no embedded broker).")
  String bootstrapServers;

  @Option(names = "--http-port", paramLabel = "PORT", description = "Sets http.port.")
  String httpPort;

  /** Loads the configuration from the file, the given environment and these flags. */
  public VigilConfig load(Map<String, String> env) {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    putIfSet(flags, "data.dir", dataDir);
    putIfSet(flags, "kafka.bootstrap.servers", bootstrapServers);
    putIfSet(flags, "http.port", httpPort);
    Optional<Path> file =
        Optional.ofNullable(configFile)
            .or(
                () ->
                    Optional.ofNullable(env.get("VIGIL_CONFIG"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of));
    return VigilConfig.load(file, env, flags);
  }

  private static void putIfSet(Map<String, String> flags, String key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
