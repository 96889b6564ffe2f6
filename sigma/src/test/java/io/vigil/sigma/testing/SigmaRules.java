package io.vigil.sigma.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.JsonEventView;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.RuleLoadException;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.sigma.parse.SigmaRuleLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Test-only shorthands: a rule from a detection block, a rule set from YAML, an event from JSON.
 */
public final class SigmaRules {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SigmaRules() {}

  /** A rule with the given detection (YAML indented by four spaces under {@code detection:}). */
  public static SigmaRule rule(String detection) {
    return rule(detection, Map.of());
  }

  /** As {@link #rule(String)}, filling {@code %placeholders%} from {@code placeholders}. */
  public static SigmaRule rule(String detection, Map<String, List<String>> placeholders) {
    LoadResult result = new SigmaRuleLoader(placeholders).loadText("test.yml", document(detection));
    assertThat(result.errors()).as("load errors").isEmpty();
    assertThat(result.rules()).hasSize(1);
    return result.rules().get(0);
  }

  /** The rule set of the rule documents in {@code yaml}, which must load and resolve cleanly. */
  public static RuleSet ruleSet(String yaml) {
    LoadResult result = new SigmaRuleLoader().loadText("test.yml", yaml);
    assertThat(result.errors()).as("load errors").isEmpty();
    RuleSet rules = RuleSet.builder().add(result).build();
    assertThat(rules.loadErrors()).as("rule set errors").isEmpty();
    return rules;
  }

  /** The load errors of a rule with the given detection. */
  public static List<RuleLoadException> errors(String detection) {
    return new SigmaRuleLoader().loadText("test.yml", document(detection)).errors();
  }

  /**
   * Asserts that each correlation document of {@code problemToYaml} loads no correlation and is
   * refused with an error whose problem contains its key.
   */
  public static void assertCorrelationsRefused(Map<String, String> problemToYaml) {
    problemToYaml.forEach(
        (problem, yaml) -> {
          LoadResult result = new SigmaRuleLoader().loadText("refused.yml", yaml);
          assertThat(result.correlations()).as(problem).isEmpty();
          assertThat(result.errors())
              .as(problem)
              .extracting(RuleLoadException::problem)
              .anySatisfy(p -> assertThat(p).contains(problem));
        });
  }

  /** A CloudTrail rule document around the given detection. */
  public static String document(String detection) {
    return "title: Test rule\nid: test-rule\nlevel: high\nlogsource:\n  product: aws\n"
        + "  service: cloudtrail\ndetection:\n"
        + detection.stripTrailing()
        + "\n";
  }

  /** An event from JSON, as a Jackson-tree view. */
  public static EventView event(String json) {
    try {
      return new JsonEventView(JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
