package io.vigil.app.config;

import java.util.Map;

/**
 * What a structured type may need beyond the raw value while the configuration loads: the key's
 * name (its problems name the part of the value, e.g. {@code accounts.names.111122223333}), the
 * environment (for the {@code ${NAME}} references of {@code sinks}) and where the value came from
 * (so that each bad entry is reported on its own line).
 *
 * @param key the name of the key being loaded
 * @param env the environment the configuration is loaded with (the injected one in tests)
 * @param origin where the whole value came from
 */
record ValueContext(String key, Map<String, String> env, Origin origin) {

  /** For a value checked outside a load (a default, a command-line option): no environment. */
  static ValueContext outsideLoad(String key) {
    return new ValueContext(key, Map.of(), Origin.DEFAULT);
  }

  /**
   * Where the part of the value written on {@code line} came from (the whole value's origin off a
   * file).
   */
  Origin originAt(int line) {
    return origin.atLine(line);
  }
}
