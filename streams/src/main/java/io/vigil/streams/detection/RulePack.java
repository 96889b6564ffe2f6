package io.vigil.streams.detection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundled pack of third-party rules ({@code rules/packs/<name>/} in the jar) and Vigil's manifest
 * of it ({@code rules/packs/<name>.pack.yml}): the {@code %placeholder%} lists its rules use (empty
 * unless configured), and the rules that are off by default with the reason shown by {@code vigil
 * rules list} (a built-in rule means the same, the rule cannot work on CloudTrail, or it fires on
 * routine activity).
 *
 * @param name the pack's name, as {@code detection.rules.packs} lists it
 * @param folder the classpath folder of its rules
 * @param placeholders the placeholder names its rules use
 * @param off rule id to the reason it is off
 */
public record RulePack(
    String name, String folder, List<String> placeholders, Map<String, String> off) {

  /** The packs in the jar. */
  public static final List<String> BUNDLED = List.of("sigmahq");

  public RulePack {
    placeholders = List.copyOf(placeholders);
    off = Collections.unmodifiableMap(new LinkedHashMap<>(off));
  }

  /**
   * The bundled pack of this name.
   *
   * @throws IllegalArgumentException for a name not in {@link #BUNDLED}
   */
  public static RulePack bundled(String name) {
    if (!BUNDLED.contains(name)) {
      throw new IllegalArgumentException(
          "no rule pack '" + name + "' (bundled: " + String.join(", ", BUNDLED) + ")");
    }
    Map<String, Object> yaml =
        BundledYaml.read("rules/packs/" + name + ".pack.yml", "rule pack manifest");
    @SuppressWarnings("unchecked")
    List<String> placeholders = (List<String>) yaml.getOrDefault("placeholders", List.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> off = (Map<String, Object>) yaml.getOrDefault("turned_off", Map.of());
    Map<String, String> reasons = new LinkedHashMap<>();
    off.forEach((id, reason) -> reasons.put(id, String.valueOf(reason)));
    return new RulePack(name, "rules/packs/" + name, placeholders, reasons);
  }
}
