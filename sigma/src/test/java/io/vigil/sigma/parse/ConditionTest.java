package io.vigil.sigma.parse;

import static io.vigil.sigma.testing.SigmaRules.errors;
import static io.vigil.sigma.testing.SigmaRules.event;
import static io.vigil.sigma.testing.SigmaRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sigma.event.EventView;
import io.vigil.sigma.model.RuleLoadException;
import org.junit.jupiter.api.Test;

class ConditionTest {

  private static final String SELECTIONS =
      """
        sel_a:
          eventName: A
        sel_b:
          userAgent: ua-b
        sel_c:
          awsRegion: eu-west-1
        _hidden:
          eventName: A
      """;

  private static EventView eventWith(String name, String agent, String region) {
    return event(
        "{\"eventID\": \"e\", \"eventName\": \""
            + name
            + "\", \"eventSource\": \"s\","
            + " \"userAgent\": \""
            + agent
            + "\", \"awsRegion\": \""
            + region
            + "\"}");
  }

  private static boolean holds(String condition, EventView event) {
    return rule(SELECTIONS + "  condition: " + condition + "\n").matches(event);
  }

  @Test
  void andBindsTighterThanOrAndNotTighterThanAnd() {
    EventView onlyC = eventWith("X", "other", "eu-west-1");
    assertThat(holds("sel_a and sel_b or sel_c", onlyC)).isTrue();
    assertThat(holds("sel_a and (sel_b or sel_c)", onlyC)).isFalse();
    assertThat(holds("not sel_a and sel_c", onlyC)).isTrue();
    assertThat(holds("not (sel_a or sel_c)", onlyC)).isFalse();
    assertThat(holds("not not sel_c", onlyC)).isTrue();
  }

  @Test
  void operatorsAreCaseInsensitive() {
    EventView aAndB = eventWith("A", "ua-b", "us-east-1");
    assertThat(holds("sel_a AND sel_b", aAndB)).isTrue();
    assertThat(holds("NOT sel_c", aAndB)).isTrue();
  }

  @Test
  void quantifiersOverPatternsAndThem() {
    EventView aAndB = eventWith("A", "ua-b", "us-east-1");
    EventView onlyA = eventWith("A", "x", "us-east-1");
    EventView none = eventWith("Z", "x", "us-east-1");
    assertThat(holds("1 of sel_*", onlyA)).isTrue();
    assertThat(holds("any of sel_*", onlyA)).isTrue();
    assertThat(holds("all of sel_*", aAndB)).isFalse();
    assertThat(holds("all of sel_a*", aAndB)).isTrue();
    assertThat(holds("1 of them", none)).isFalse();
    assertThat(holds("2 of sel_*", aAndB)).isTrue();
    assertThat(holds("2 of sel_*", onlyA)).isFalse();
    assertThat(holds("all of them", eventWith("A", "ua-b", "eu-west-1"))).isTrue();
    assertThat(holds("1 of *_b", aAndB)).isTrue();
  }

  @Test
  void themLeavesOutSelectionsStartingWithUnderscore() {
    String detection =
        """
          _only:
            eventName: A
          sel:
            eventName: B
          condition: 1 of them
        """;
    assertThat(rule(detection).matches(eventWith("A", "x", "y"))).isFalse();
    assertThat(rule(detection).matches(eventWith("B", "x", "y"))).isTrue();
  }

  @Test
  void aListOfConditionsMeansAnyOfThem() {
    String detection =
        """
          sel_a:
            eventName: A
          sel_b:
            eventName: B
          condition:
            - sel_a
            - sel_b
        """;
    assertThat(rule(detection).matches(eventWith("B", "x", "y"))).isTrue();
    assertThat(rule(detection).matches(eventWith("C", "x", "y"))).isFalse();
  }

  @Test
  void aConditionNamingNoSelectionIsALoadError() {
    assertThat(errors(SELECTIONS + "  condition: sel_a and sel_x\n"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.problem()).contains("'sel_x'", "no selection");
              assertThat(e.source()).isEqualTo("test.yml");
              // The condition is on line 16 of the generated document (7 header lines + 8 lines).
              assertThat(e.line()).isEqualTo(16);
            });
  }

  @Test
  void selectionNamesAreCaseSensitive() {
    assertThat(errors(SELECTIONS + "  condition: SEL_C\n")).isNotEmpty();
  }

  @Test
  void aPatternMatchingNothingIsALoadError() {
    assertThat(errors(SELECTIONS + "  condition: 1 of filter*\n"))
        .singleElement()
        .extracting(RuleLoadException::problem)
        .asString()
        .contains("1 of filter*", "matches no selection");
  }

  @Test
  void malformedConditionsAreLoadErrors() {
    for (String bad :
        new String[] {
          "sel_a and",
          "(sel_a",
          "sel_a sel_b",
          "sel_a )",
          "and sel_a",
          "1 of",
          "x of sel_*",
          "sel_a or or sel_b",
          "sel_a # comment",
          ""
        }) {
      assertThat(errors(SELECTIONS + "  condition: '" + bad + "'\n")).as(bad).isNotEmpty();
    }
  }

  @Test
  void theV1AggregationIsRejectedWithAPointerToCorrelationRules() {
    assertThat(errors(SELECTIONS + "  timeframe: 10m\n  condition: sel_a | count() > 50\n"))
        .singleElement()
        .extracting(RuleLoadException::problem)
        .asString()
        .contains("v1 aggregation", "count() > 50", "correlation rule");
  }
}
