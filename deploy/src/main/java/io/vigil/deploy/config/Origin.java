package io.vigil.deploy.config;

import java.nio.file.Path;

/**
 * Where a value came from, worded for an operator: {@code default}, {@code vigil.yaml:3},
 * {@code environment VIGIL_HTTP_PORT} or {@code flag --set http.port}.
 */
record Origin(String description) {

  static final Origin DEFAULT = new Origin("default");

  static Origin file(Path file, int line) {
    return new Origin(file + ":" + line);
  }

  static Origin environment(String variable) {
    return new Origin("environment " + variable);
  }

  static Origin flag(String name) {
    return new Origin("flag --set " + name);
  }

  @Override
  public String toString() {
    return description;
  }
}
