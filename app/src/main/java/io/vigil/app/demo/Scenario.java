package io.vigil.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One attack story of {@code vigil demo}, as bundled in the jar ({@code demo/<name>.yml}): what it
 * shows, the catalogue rules it must raise (none for a benign scenario), and its log records as
 * templates.
 *
 * <p>The file's keys: {@code title}, {@code story}, {@code expect} (rule ids), optional {@code
 * requires} (configuration keys the scenario needs; only {@code phi.buckets} today), optional
 * {@code addresses} (name to IPv4 CIDR: a fresh address from that range on every run), then {@code
 * cloudtrail} (a list of CloudTrail records as CloudTrail writes them) and/or {@code flow_log} (VPC
 * flow log text, header line first). Records hold {@code {{...}}} placeholders that {@link
 * ScenarioRenderer} fills in on every run: {@code {{time -2m}}}, {@code {{epoch -2m}}}, {@code
 * {{uuid}}}, {@code {{address NAME}}}, {@code {{phi_bucket}}}.
 *
 * @param cloudTrail the {@code cloudtrail} list, or null when the scenario has none
 * @param flowLog the {@code flow_log} text, or null when the scenario has none
 */
public record Scenario(
    String name,
    String title,
    String story,
    List<String> expect,
    List<String> requires,
    Map<String, String> addresses,
    JsonNode cloudTrail,
    String flowLog) {

  /** The configuration keys a scenario may require. */
  public static final Set<String> REQUIREMENTS = Set.of("phi.buckets");

  private static final Set<String> KEYS =
      Set.of("title", "story", "expect", "requires", "addresses", "cloudtrail", "flow_log");
  private static final ObjectMapper YAML = new YAMLMapper();

  public Scenario {
    expect = List.copyOf(expect);
    requires = List.copyOf(requires);
    addresses = Map.copyOf(addresses);
  }

  /** A benign scenario: its records must raise nothing. */
  public boolean benign() {
    return expect.isEmpty();
  }

  /**
   * Reads a scenario file.
   *
   * @throws IllegalArgumentException naming the scenario and the problem, for a file that does not
   *     fit
   */
  public static Scenario read(String name, InputStream in) throws IOException {
    JsonNode root = YAML.readTree(in);
    if (root == null || !root.isObject()) {
      throw bad(name, "expected a YAML map of title, story, expect, cloudtrail and/or flow_log");
    }
    root.fieldNames()
        .forEachRemaining(
            key -> {
              if (!KEYS.contains(key)) {
                throw bad(name, "unknown key '" + key + "'; expected " + KEYS);
              }
            });
    List<String> requires = strings(name, root, "requires");
    for (String key : requires) {
      if (!REQUIREMENTS.contains(key)) {
        throw bad(
            name, "requires: unknown configuration key '" + key + "'; supported: " + REQUIREMENTS);
      }
    }
    Map<String, String> addresses = new LinkedHashMap<>();
    JsonNode ranges = root.path("addresses");
    if (!ranges.isMissingNode()) {
      if (!ranges.isObject()) {
        throw bad(name, "addresses: expected a map of name to IPv4 CIDR");
      }
      ranges
          .properties()
          .forEach(
              e -> {
                String cidr = e.getValue().asText();
                try {
                  AddressRange.parse(cidr);
                } catch (IllegalArgumentException ex) {
                  throw bad(name, "addresses." + e.getKey() + ": " + ex.getMessage());
                }
                addresses.put(e.getKey(), cidr);
              });
    }
    JsonNode cloudTrail = root.get("cloudtrail");
    if (cloudTrail != null && (!cloudTrail.isArray() || cloudTrail.isEmpty())) {
      throw bad(name, "cloudtrail: expected a non-empty list of CloudTrail records");
    }
    JsonNode flowLog = root.get("flow_log");
    if (flowLog != null && !flowLog.isTextual()) {
      throw bad(name, "flow_log: expected flow log text (a header line, then records)");
    }
    if (cloudTrail == null && flowLog == null) {
      throw bad(name, "a scenario needs cloudtrail records, a flow_log, or both");
    }
    return new Scenario(
        name,
        text(name, root, "title"),
        text(name, root, "story"),
        strings(name, root, "expect"),
        requires,
        addresses,
        cloudTrail,
        flowLog == null ? null : flowLog.asText());
  }

  private static String text(String name, JsonNode root, String key) {
    JsonNode node = root.get(key);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw bad(name, key + ": required text");
    }
    return node.asText().trim();
  }

  private static List<String> strings(String name, JsonNode root, String key) {
    JsonNode node = root.get(key);
    if (node == null) {
      if (key.equals("expect")) {
        throw bad(name, "expect: required list of rule ids ([] for a benign scenario)");
      }
      return List.of();
    }
    if (!node.isArray()) {
      throw bad(name, key + ": expected a list");
    }
    List<String> values = new ArrayList<>();
    node.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static IllegalArgumentException bad(String name, String problem) {
    return new IllegalArgumentException("demo scenario " + name + ": " + problem);
  }
}
