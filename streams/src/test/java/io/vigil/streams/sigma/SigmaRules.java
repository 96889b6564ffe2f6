package io.vigil.streams.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Test-only shorthands: a rule from a detection block, an event from JSON. */
final class SigmaRules {

  private SigmaRules() {}

  /** A rule with the given detection (YAML indented by four spaces under {@code detection:}). */
  static SigmaRule rule(String detection) {
    return rule(detection, Map.of());
  }

  static SigmaRule rule(String detection, Map<String, List<String>> placeholders) {
    LoadResult result = new SigmaRuleLoader(placeholders).loadText("test.yml", document(detection));
    assertThat(result.errors()).as("load errors").isEmpty();
    assertThat(result.rules()).hasSize(1);
    return result.rules().get(0);
  }

  /** The load errors of a rule with the given detection. */
  static List<RuleLoadException> errors(String detection) {
    return new SigmaRuleLoader().loadText("test.yml", document(detection)).errors();
  }

  static String document(String detection) {
    return "title: Test rule\nid: test-rule\nlevel: high\nlogsource:\n  product: aws\n"
        + "  service: cloudtrail\ndetection:\n" + detection.stripTrailing() + "\n";
  }

  /** A CloudTrail-shaped event from JSON, as the Avro-backed view sees it. */
  static EventView event(String json) {
    return new CloudTrailEventView(CloudTrailRecords.fromJson(json));
  }

  /** The same JSON as a plain Jackson-tree view. */
  static EventView jsonEvent(String json) {
    try {
      return new JsonEventView(CloudTrailRecords.JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
