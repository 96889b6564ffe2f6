package io.vigil.sigma.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.RuleLoadException;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.sigma.testing.SigmaRules;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public SigmaHQ CloudTrail rules in testdata/sigma_aws load as the issue requires. */
class SigmaHqConformanceTest {

  @Test
  void all57CloudTrailRulesLoadWithoutError() throws IOException {
    Path rules = TestData.path("sigma_aws/rules");
    long files;
    try (Stream<Path> list = Files.list(rules)) {
      files = list.filter(p -> p.toString().endsWith(".yml")).count();
    }
    LoadResult result = new SigmaRuleLoader().loadDirectory(rules);
    assertThat(result.errors()).isEmpty();
    assertThat(files).isEqualTo(57);
    assertThat(result.rules()).hasSize(57);
    // SigmaHQ's licence (DRL 1.1) needs the author on every alert: every rule names one.
    assertThat(result.rules()).allSatisfy(rule -> assertThat(rule.author()).isNotBlank());
    assertThat(RuleSet.builder().add(result).build().loadErrors()).isEmpty();
  }

  @Test
  void thePlaceholderRuleLoadsWithPlaceholdersGiven() {
    Path dir = TestData.path("sigma_aws/rules-placeholder");
    SigmaRuleLoader loader =
        new SigmaRuleLoader(
            Map.of(
                "Legitimate_Countries", List.of("FR", "DE"),
                "Legitimate_IP_Ranges", List.of("198.51.100.*")));
    LoadResult result = loader.loadDirectory(dir);
    assertThat(result.errors()).isEmpty();
    SigmaRule rule = result.rules().get(0);
    String login =
        """
        {"eventID": "e", "eventName": "ConsoleLogin", "eventSource": "signin.amazonaws.com",
         "responseElements": {"ConsoleLogin": "Success"}, "src_country": "%s", "src_ip": "%s"}
        """;
    assertThat(rule.matches(SigmaRules.event(login.formatted("US", "203.0.113.5")))).isTrue();
    assertThat(rule.matches(SigmaRules.event(login.formatted("FR", "203.0.113.5")))).isFalse();
    assertThat(rule.matches(SigmaRules.event(login.formatted("US", "198.51.100.7")))).isFalse();
  }

  @Test
  void thePlaceholderRuleFailsClearlyWithoutPlaceholders() {
    LoadResult result =
        new SigmaRuleLoader().loadDirectory(TestData.path("sigma_aws/rules-placeholder"));
    assertThat(result.rules()).isEmpty();
    assertThat(result.errors())
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.source())
                  .endsWith("aws_cloudtrail_console_login_success_from_susp_locations.yml");
              assertThat(e.line()).isPositive();
              assertThat(e.problem()).contains("placeholder", "no values configured");
            });
    assertThat(result.errors())
        .extracting(RuleLoadException::problem)
        .anySatisfy(p -> assertThat(p).contains("%Legitimate_Countries%"))
        .anySatisfy(p -> assertThat(p).contains("%Legitimate_IP_Ranges%"));
  }

  /**
   * The 8 rules in unsupported/ use the deprecated v1 aggregation ({@code | count() > N} with
   * {@code timeframe}). They are rejected rather than translated: SigmaHQ itself marks them
   * unsupported, their thresholds were never validated, and a silent translation would give them a
   * meaning (sliding window, grouping) their authors did not write down. The message says how to
   * express the same intent as a correlation rule.
   */
  @Test
  void theEightV1AggregationRulesAreRejectedWithAClearMessage() throws IOException {
    Path dir = TestData.path("sigma_aws/unsupported");
    LoadResult result = new SigmaRuleLoader().loadDirectory(dir);
    assertThat(result.rules()).isEmpty();
    assertThat(result.errors())
        .hasSize(8)
        .allSatisfy(
            e -> {
              assertThat(e.line()).isPositive();
              assertThat(e.problem())
                  .contains(
                      "Sigma v1 aggregation",
                      "not supported",
                      "Sigma correlation rule",
                      "referencing this rule");
            });
    assertThat(result.errors())
        .extracting(RuleLoadException::problem)
        .filteredOn(p -> p.contains("count()"))
        .hasSize(6)
        .allSatisfy(p -> assertThat(p).contains("event_count"));
    assertThat(result.errors())
        .extracting(RuleLoadException::problem)
        .filteredOn(p -> p.contains("near"))
        .singleElement()
        .asString()
        .contains("temporal");
    assertThat(result.errors())
        .extracting(RuleLoadException::problem)
        .filteredOn(p -> p.contains("'timeframe'"))
        .singleElement()
        .asString()
        .contains("5m");
    try (Stream<Path> list = Files.list(dir)) {
      assertThat(result.errors())
          .extracting(RuleLoadException::source)
          .containsExactlyElementsOf(
              list.map(Path::toString).filter(s -> s.endsWith(".yml")).sorted().toList());
    }
  }
}
