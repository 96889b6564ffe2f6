package io.vigil.app.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Writes YAML config files into a test's temp directory and loads configs from them. */
final class ConfigFixture {

  private final Path dir;

  ConfigFixture(Path dir) {
    this.dir = dir;
  }

  Path yaml(String text) {
    try {
      return Files.writeString(dir.resolve("vigil.yaml"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  VigilConfig fromYaml(String text) {
    return VigilConfig.load(Optional.of(yaml(text)), Map.of(), Map.of());
  }

  static VigilConfig fromEnv(Map<String, String> env) {
    return VigilConfig.load(Optional.empty(), env, Map.of());
  }

  static VigilConfig fromFlags(Map<String, String> flags) {
    return VigilConfig.load(Optional.empty(), Map.of(), flags);
  }
}
