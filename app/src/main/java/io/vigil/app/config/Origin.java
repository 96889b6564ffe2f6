package io.vigil.app.config;

import java.nio.file.Path;

/**
 * Where a value came from, worded for an operator: {@code default}, {@code vigil.yaml:3}, {@code
 * environment VIGIL_HTTP_PORT} or {@code flag --set http.port}.
 *
 * @param description the wording above
 * @param file the config file, for a value read from one (so that a part of a structured value,
 *     e.g. one entry of {@code sinks}, can be placed on its own line); otherwise {@code null}
 */
record Origin(String description, Path file) {

  static final Origin DEFAULT = new Origin("default", null);

  static Origin file(Path file, int line) {
    return new Origin(file + ":" + line, file);
  }

  static Origin environment(String variable) {
    return new Origin("environment " + variable, null);
  }

  static Origin flag(String name) {
    return new Origin("flag --set " + name, null);
  }

  /**
   * Where a part of this value that starts on {@code line} of the file came from: that line of the
   * same file; for a value from the environment or a flag (no lines), this origin.
   */
  Origin atLine(int line) {
    return file == null || line <= 0 ? this : file(file, line);
  }

  @Override
  public String toString() {
    return description;
  }
}
