package io.vigil.app.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the CLI's {@code --set key=value} pairs into settings. */
final class FlagSource {

  private FlagSource() {}

  static List<Setting> read(Map<String, String> flags) {
    return new TreeMap<>(flags)
        .entrySet().stream()
            .map(
                flag -> {
                  String name = flag.getKey().trim();
                  return new Setting(name, new RawValue.Text(flag.getValue()), Origin.flag(name));
                })
            .toList();
  }
}
