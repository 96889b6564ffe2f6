package io.vigil.app.config;

import java.util.List;

/**
 * The configuration is unusable. The message holds every problem found, one per line, each naming
 * the key (or file, or environment variable) and where the bad value came from; secret values are
 * never included.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  ConfigException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Problems found outside the configuration package (e.g. rules that do not load), each already
   * naming its key or option and where it was set; see {@link VigilConfig#invalid} for a key's.
   */
  public static ConfigException of(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a configuration error needs a problem");
    }
    return new ConfigException(problems);
  }

  /** The individual problems, in the order they were found (file, then environment, then flags). */
  public List<String> problems() {
    return problems;
  }
}
