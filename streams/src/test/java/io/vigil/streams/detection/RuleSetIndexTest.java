package io.vigil.streams.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.streams.aws.AwsDerivedFields;
import io.vigil.streams.aws.CloudTrailEventView;
import io.vigil.streams.aws.CloudTrailRecords;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The eventName index lets most rules be skipped per event. The figures (candidates per event, and
 * a rough events/s of indexed vs every-rule evaluation) are printed for the record; the test
 * asserts only the candidate count, never a time.
 */
class RuleSetIndexTest {

  @Test
  void anEventNameSpeltInAnyCaseFindsTheRulesEveryRuleWouldMatch() throws IOException {
    RuleSet rules = sigmaAwsRules();
    List<CloudTrailEvent> events = stratusEvents();
    // The index is keyed by lower-cased names; Sigma's equality ignores case.
    int matched = 0;
    for (String round : List.of("as spelt", "upper", "lower")) {
      for (CloudTrailEvent original : events) {
        CloudTrailEvent event = CloudTrailEvent.newBuilder(original).build();
        String name = event.getEventName();
        event.setEventName(
            switch (round) {
              case "upper" -> name.toUpperCase(Locale.ROOT);
              case "lower" -> name.toLowerCase(Locale.ROOT);
              default -> name;
            });
        CloudTrailEventView view = new CloudTrailEventView(event);
        List<SigmaRule> everyRule = rules.rules().stream().filter(r -> r.matches(view)).toList();
        assertThat(rules.matching(view))
            .as("%s, %s", round, event.getEventName())
            .containsExactlyElementsOf(everyRule);
        matched += everyRule.size();
      }
    }
    assertThat(matched).as("rules matched over the rounds").isGreaterThan(20);
  }

  @Test
  void mostRulesAreSkippedForATypicalEvent() throws IOException {
    RuleSet rules = sigmaAwsRules();
    List<CloudTrailEvent> events = stratusEvents();
    long candidates = 0;
    for (CloudTrailEvent event : events) {
      candidates += rules.candidateCount(new CloudTrailEventView(event));
    }
    double perEvent = (double) candidates / events.size();
    // 52 of the 57 SigmaHQ rules require an eventName; the 5 that do not are always evaluated.
    assertThat(perEvent).isLessThan(rules.rules().size() * 0.2);

    int rounds = 200;
    // Warm-up, so that neither measurement pays for the JIT.
    for (int round = 0; round < rounds; round++) {
      for (CloudTrailEvent event : events) {
        rules.matching(new CloudTrailEventView(event));
        CloudTrailEventView view = new CloudTrailEventView(event);
        rules.rules().forEach(rule -> rule.matches(view));
      }
    }
    long indexedMatches = 0;
    long start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      for (CloudTrailEvent event : events) {
        indexedMatches += rules.matching(new CloudTrailEventView(event)).size();
      }
    }
    long indexed = System.nanoTime() - start;
    long everyRuleMatches = 0;
    start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      for (CloudTrailEvent event : events) {
        CloudTrailEventView view = new CloudTrailEventView(event);
        for (SigmaRule rule : rules.rules()) {
          everyRuleMatches += rule.matches(view) ? 1 : 0;
        }
      }
    }
    long everyRule = System.nanoTime() - start;
    assertThat(indexedMatches).isEqualTo(everyRuleMatches);
    long total = (long) rounds * events.size();
    System.out.printf(
        "RuleSet index: %d rules, %.1f candidates/event over %d Stratus events;"
            + " indexed %.0f events/s, every rule %.0f events/s%n",
        rules.rules().size(),
        perEvent,
        events.size(),
        total / (indexed / 1e9),
        total / (everyRule / 1e9));
  }

  private static RuleSet sigmaAwsRules() throws IOException {
    return RuleSet.builder()
        .add(AwsDerivedFields.ruleLoader().loadDirectory(TestData.path("sigma_aws/rules")))
        .build();
  }

  private static List<CloudTrailEvent> stratusEvents() throws IOException {
    List<CloudTrailEvent> events = new ArrayList<>();
    try (Stream<Path> list = Files.list(TestData.path("stratus_red_team/docs/detonation-logs"))) {
      for (Path file : list.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        events.addAll(CloudTrailRecords.readFile(file));
      }
    }
    return events;
  }
}
