package io.vigil.sigma.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sigma.event.EventView;
import io.vigil.sigma.model.CorrelationCondition;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.RuleLoadException;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.sigma.parse.SigmaRuleLoader;
import io.vigil.sigma.testing.SigmaRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationEvaluatorTest {

  private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000L;

  private static final String BASE_RULES =
      """
      title: Failed login
      id: failed-login
      name: failed_login
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventName: ConsoleLogin
          errorMessage: Failed authentication
        condition: selection
      level: low
      ---
      title: Denied call
      id: denied-call
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          errorCode|startswith: AccessDenied
        condition: selection
      level: low
      ---
      title: Key created
      id: key-created
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventName: CreateAccessKey
        condition: selection
      level: medium
      """;

  /** A rule set of the base rules plus one correlation given as YAML. */
  private static RuleSet ruleSet(String correlation) {
    return SigmaRules.ruleSet(BASE_RULES + "---\n" + correlation);
  }

  /** Drives a rule set over events like a scan would, collecting the firings. */
  private static final class Driver {
    final RuleSet rules;
    final Map<String, CorrelationState> states = new HashMap<>();
    final List<CorrelationFiring> firings = new ArrayList<>();
    final List<String> firedGroups = new ArrayList<>();
    final List<CorrelationEvaluator.Outcome> outcomes = new ArrayList<>();

    Driver(RuleSet rules) {
      this.rules = rules;
    }

    void feed(EventView event) {
      for (SigmaRule rule : rules.matching(event)) {
        for (SigmaCorrelation correlation : rules.correlationsFedBy(rule)) {
          CorrelationEvaluator evaluator = new CorrelationEvaluator(correlation);
          GroupKey group = GroupKey.of(correlation, rule, event);
          String key =
              correlation.id()
                  + "|"
                  + evaluator.windowStart(event.timestampMillis())
                  + "|"
                  + group.asString();
          // The state goes through its binary form, as it would through a store.
          CorrelationState state =
              states.containsKey(key)
                  ? CorrelationState.fromBytes(states.get(key).toBytes())
                  : null;
          CorrelationEvaluator.Step step =
              evaluator.accept(state, CorrelationInput.of(correlation, rule, event));
          outcomes.add(step.outcome());
          states.put(key, step.state());
          if (step.firing() != null) {
            firings.add(step.firing());
            firedGroups.add(group.asString());
          }
        }
      }
    }

    /** Closes every window, as the end of a scan does. */
    void closeAll() {
      states.replaceAll(
          (key, state) -> {
            String id = key.substring(0, key.indexOf('|'));
            CorrelationEvaluator.Step step =
                new CorrelationEvaluator(rules.correlation(id).orElseThrow()).close(state);
            if (step.firing() != null) {
              firings.add(step.firing());
            }
            return step.state();
          });
    }

    long count(CorrelationEvaluator.Outcome outcome) {
      return outcomes.stream().filter(o -> o == outcome).count();
    }

    /** Events the firings counted, all together: what the alerts' counts add up to. */
    long eventsInFirings() {
      return firings.stream().mapToLong(CorrelationFiring::events).sum();
    }
  }

  private static EventView failedLogin(long time, String ip, String user) {
    return SigmaRules.event(
        """
        {"eventID": "%s", "eventTime": "%s", "eventName": "ConsoleLogin",
         "eventSource": "signin.amazonaws.com", "sourceIPAddress": "%s",
         "errorMessage": "Failed authentication",
         "userIdentity": {"type": "IAMUser", "userName": "%s",
           "sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::1:role/%s"}}},
         "additionalEventData": {"LoginTo": "https://console", "user": {"name": "%s"}}}
        """
            .formatted(
                "id-" + time + "-" + ip + "-" + user,
                Instant.ofEpochMilli(time),
                ip,
                user,
                user,
                user));
  }

  private static EventView denied(long time, String arn, String eventName) {
    return SigmaRules.event(
        """
        {"eventID": "%s", "eventTime": "%s", "eventName": "%s", "eventSource": "ec2.amazonaws.com",
         "errorCode": "AccessDenied", "userIdentity": {"type": "IAMUser", "arn": "%s"}}
        """
            .formatted("d-" + time + "-" + eventName, Instant.ofEpochMilli(time), eventName, arn));
  }

  private static final String BRUTE_FORCE =
      """
      title: Console brute force
      id: brute-force
      author: Vigil
      correlation:
        type: event_count
        rules:
          - failed_login
        group-by:
          - sourceIPAddress
        timespan: 5m
        condition:
          gte: 5
      level: high
      """;

  @Test
  void eventCountFiresWhenTheThresholdIsReachedWithinTheTimespan() {
    Driver driver = new Driver(ruleSet(BRUTE_FORCE));
    for (int i = 0; i < 4; i++) {
      driver.feed(failedLogin(T0 + i * 30_000L, "198.51.100.9", "alice"));
    }
    assertThat(driver.firings).isEmpty();
    driver.feed(failedLogin(T0 + 4 * 30_000L, "198.51.100.9", "alice"));
    assertThat(driver.firings)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.value()).isEqualTo(5);
              assertThat(f.events()).isEqualTo(5);
              assertThat(f.windowStart()).isEqualTo(T0);
              assertThat(f.windowEnd()).isEqualTo(T0 + 120_000L);
              assertThat(f.eventRefs()).hasSize(5);
              assertThat(f.correlation().id()).isEqualTo("brute-force");
            });
    assertThat(driver.firedGroups).containsExactly("[\"198.51.100.9\"]");
  }

  @Test
  void eventsFurtherApartThanTheTimespanDoNotAddUp() {
    Driver driver = new Driver(ruleSet(BRUTE_FORCE));
    for (int i = 0; i < 10; i++) {
      driver.feed(failedLogin(T0 + i * 2 * MINUTE, "198.51.100.9", "alice"));
    }
    // At most 3 events (at 0, 2, 4 min) fall inside any 5-minute window.
    assertThat(driver.firings).isEmpty();
  }

  @Test
  void eventsExactlyOneTimespanApartAreInDifferentWindows() {
    Driver driver = new Driver(ruleSet(BRUTE_FORCE.replace("gte: 5", "gte: 2")));
    driver.feed(failedLogin(T0, "198.51.100.9", "alice"));
    driver.feed(failedLogin(T0 + 5 * MINUTE, "198.51.100.9", "alice"));
    assertThat(driver.firings).isEmpty();
    driver.feed(failedLogin(T0 + 10 * MINUTE - 1, "198.51.100.9", "alice"));
    assertThat(driver.firings).hasSize(1);
  }

  @Test
  void aWindowFiresOnceAndItsLaterEventsAddToTheAlert() {
    // Defect of the first Kafka Streams engine: an alert on every window update.
    Driver driver = new Driver(ruleSet(BRUTE_FORCE));
    for (int i = 0; i < 40; i++) {
      driver.feed(failedLogin(T0 + i * 5_000L, "198.51.100.9", "alice"));
    }
    // 40 events in 200 s, one 5-minute window: it fires once, with the 5 events that made the
    // condition hold; each of the 35 after it is added to that alert, one event each.
    assertThat(driver.count(CorrelationEvaluator.Outcome.FIRED)).isEqualTo(1);
    assertThat(driver.count(CorrelationEvaluator.Outcome.ADDED)).isEqualTo(35);
    assertThat(driver.firings.get(0).events()).isEqualTo(5);
    assertThat(driver.firings.subList(1, driver.firings.size()))
        .allSatisfy(
            f -> {
              assertThat(f.events()).isEqualTo(1);
              assertThat(f.windowStart()).isEqualTo(T0);
              assertThat(f.value()).isEqualTo(5);
            });
    assertThat(driver.eventsInFirings()).isEqualTo(40);
  }

  @Test
  void eachAlignedWindowFiresOnItsOwn() {
    Driver driver = new Driver(ruleSet(BRUTE_FORCE.replace("gte: 5", "gte: 20")));
    for (int i = 0; i < 15 * 60; i++) {
      driver.feed(failedLogin(T0 + i * 1_000L, "198.51.100.9", "alice"));
    }
    // 15 minutes at one event a second: three 5-minute windows of 300 events, each fires once.
    assertThat(driver.firings.stream().filter(f -> f.events() == 20).map(f -> f.windowStart()))
        .containsExactly(T0, T0 + 5 * MINUTE, T0 + 10 * MINUTE);
    assertThat(driver.eventsInFirings()).isEqualTo(15 * 60);
  }

  @Test
  void whatAWindowCountsDoesNotDependOnTheOrderEventsArriveIn() {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      times.add(T0 + (i * 7_919L) % (12 * MINUTE));
    }
    Map<Long, Long> inOrder = null;
    java.util.Random random = new java.util.Random(42);
    for (int round = 0; round < 20; round++) {
      List<Long> shuffled = new ArrayList<>(times);
      if (round == 0) {
        shuffled.sort(null);
      } else {
        java.util.Collections.shuffle(shuffled, random);
      }
      Driver driver = new Driver(ruleSet(BRUTE_FORCE.replace("gte: 5", "gte: 10")));
      for (long time : shuffled) {
        driver.feed(failedLogin(time, "198.51.100.9", "alice"));
      }
      Map<Long, Long> perWindow = new java.util.TreeMap<>();
      for (CorrelationFiring firing : driver.firings) {
        perWindow.merge(firing.windowStart(), firing.events(), Long::sum);
      }
      if (inOrder == null) {
        inOrder = perWindow;
        assertThat(perWindow).isNotEmpty();
      } else {
        assertThat(perWindow).as("round %d", round).isEqualTo(inOrder);
      }
    }
  }

  @Test
  void groupsAreCountedSeparately() {
    Driver driver = new Driver(ruleSet(BRUTE_FORCE));
    for (int i = 0; i < 4; i++) {
      driver.feed(failedLogin(T0 + i * 1_000L, "198.51.100.9", "alice"));
      driver.feed(failedLogin(T0 + i * 1_000L, "203.0.113.1", "alice"));
    }
    assertThat(driver.firings).isEmpty();
    driver.feed(failedLogin(T0 + 5_000L, "203.0.113.1", "alice"));
    assertThat(driver.firedGroups).containsExactly("[\"203.0.113.1\"]");
  }

  @Test
  void valueCountCountsDistinctValuesNotEvents() {
    // Defect of the existing Kafka Streams engine: it counted events where distinct values were
    // asked.
    Driver driver =
        new Driver(
            ruleSet(
                """
                title: Password spraying
                id: spraying
                correlation:
                  type: value_count
                  rules:
                    - failed-login
                  group-by:
                    - sourceIPAddress
                  timespan: 10m
                  condition:
                    field: userIdentity.userName
                    gte: 3
                level: high
                """));
    for (int i = 0; i < 10; i++) {
      driver.feed(failedLogin(T0 + i * 1_000L, "198.51.100.9", i % 2 == 0 ? "alice" : "bob"));
    }
    assertThat(driver.firings).as("10 events but only 2 distinct users").isEmpty();
    driver.feed(failedLogin(T0 + 20_000L, "198.51.100.9", "carol"));
    assertThat(driver.firings).singleElement().satisfies(f -> assertThat(f.value()).isEqualTo(3));
    // A value keeps one entry (its latest), however many events repeat it.
    assertThat(driver.states.values())
        .allSatisfy(s -> assertThat(s.entries().size()).isLessThanOrEqualTo(5));
  }

  private static final String PORT_SCAN_LIKE =
      """
      title: Many users from one address
      id: many-users
      correlation:
        type: value_count
        rules:
          - failed-login
        group-by:
          - sourceIPAddress
        timespan: 5m
        condition:
          field: userIdentity.userName
          gte: 3
      level: high
      """;

  @Test
  void valueCountFindsEveryValueOfAWindowThatOutOfOrderEventsComplete() {
    // alice is seen late in the hour first; her earlier attempt, with bob's and carol's, arrives
    // afterwards and completes the window 10 minutes before: all three are in it.
    Driver driver = new Driver(ruleSet(PORT_SCAN_LIKE));
    driver.feed(failedLogin(T0 + 10 * MINUTE, "198.51.100.9", "alice"));
    driver.feed(failedLogin(T0, "198.51.100.9", "alice"));
    driver.feed(failedLogin(T0 + 10_000, "198.51.100.9", "bob"));
    assertThat(driver.firings).isEmpty();
    driver.feed(failedLogin(T0 + 20_000, "198.51.100.9", "carol"));

    assertThat(driver.firings)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.value()).isEqualTo(3);
              assertThat(f.windowStart()).isEqualTo(T0);
              assertThat(f.windowEnd()).isEqualTo(T0 + 20_000);
            });
  }

  @Test
  void valueCountStateOfARepeatedValueStaysSmall() {
    SigmaCorrelation correlation =
        ruleSet(PORT_SCAN_LIKE.replace("gte: 3", "gte: 1000"))
            .correlation("many-users")
            .orElseThrow();
    CorrelationEvaluator evaluator =
        new CorrelationEvaluator(correlation, Duration.ofMinutes(15), 10_000);
    CorrelationState state = null;
    // One value every second for a 5-minute window, with a distinct value now and then.
    for (int i = 0; i < 300; i++) {
      String user = i % 60 == 0 ? "user-" + i : "alice";
      state =
          evaluator
              .accept(state, new CorrelationInput(T0 + i * 1_000L, "failed-login", user, "e" + i))
              .state();
    }
    assertThat(state.entries().stream().filter(e -> "alice".equals(e.value())).count())
        .isEqualTo(1);
    assertThat(state.entries()).hasSize(6);
    assertThat(state.events()).isEqualTo(300);
    assertThat(state.dropped()).isZero();
  }

  @Test
  void valueCountCountsEveryValueOfAListFieldOnceAndReportsItsEventOnce() {
    SigmaCorrelation correlation = ruleSet(PORT_SCAN_LIKE).correlation("many-users").orElseThrow();
    CorrelationEvaluator evaluator =
        new CorrelationEvaluator(correlation, Duration.ofMinutes(15), 10_000);
    // One event naming two users (one of them twice over two events): 2 distinct, no firing.
    CorrelationEvaluator.Step first =
        evaluator.accept(
            null, new CorrelationInput(T0, "failed-login", "alice", List.of("bob"), "e1"));
    assertThat(first.outcome()).isEqualTo(CorrelationEvaluator.Outcome.COUNTED);
    CorrelationEvaluator.Step again =
        evaluator.accept(
            first.state(),
            new CorrelationInput(T0 + 1_000, "failed-login", "bob", List.of("alice"), "e2"));
    assertThat(again.outcome()).isEqualTo(CorrelationEvaluator.Outcome.COUNTED);
    CorrelationEvaluator.Step third =
        evaluator.accept(
            again.state(),
            new CorrelationInput(T0 + 2_000, "failed-login", "carol", List.of("dave"), "e3"));
    assertThat(third.outcome()).isEqualTo(CorrelationEvaluator.Outcome.FIRED);
    assertThat(third.firing().value()).isEqualTo(4);
    assertThat(third.firing().events()).isEqualTo(3);
    assertThat(third.firing().eventRefs()).containsExactly("e2", "e3");
  }

  @Test
  void aListFieldFeedsValueCountWithEveryDistinctValue() {
    SigmaCorrelation correlation = ruleSet(PORT_SCAN_LIKE).correlation("many-users").orElseThrow();
    SigmaRule rule = correlation.rules().get(0);
    EventView event =
        SigmaRules.event(
            "{\"eventName\":\"ConsoleLogin\",\"errorMessage\":\"Failed authentication\","
                + "\"userIdentity\":{\"userName\":[\"a\",\"b\",\"a\",\"c\"]}}");
    CorrelationInput input = CorrelationInput.of(correlation, rule, event);
    assertThat(input.value()).isEqualTo("a");
    assertThat(input.moreValues()).containsExactly("b", "c");
  }

  private static final String BYTES_METRIC =
      """
      title: Big denied calls
      id: big-calls
      correlation:
        type: value_avg
        rules:
          - denied-call
        group-by:
          - userIdentity.arn
        timespan: 10m
        condition:
          field: bytes
          gte: 100
      level: medium
      """;

  /** The firing value after feeding {@code values} (null: no number) into one window. */
  private static Long metric(String correlationYaml, String... values) {
    SigmaCorrelation correlation = ruleSet(correlationYaml).correlation("big-calls").orElseThrow();
    CorrelationEvaluator evaluator =
        new CorrelationEvaluator(correlation, Duration.ofMinutes(15), 10_000);
    CorrelationState state = null;
    for (int i = 0; i < values.length; i++) {
      state =
          evaluator
              .accept(state, new CorrelationInput(T0 + i, "denied-call", values[i], "e" + i))
              .state();
    }
    CorrelationEvaluator.Step closed = evaluator.close(state);
    return closed.firing() == null ? null : closed.firing().value();
  }

  @Test
  void valueAvgPercentileAndMedianMeasureTheNumbersOfAWindow() {
    // Decided at the close (lte), so the measure is of the whole window.
    String avg = BYTES_METRIC.replace("gte: 100", "lte: 1000000");
    assertThat(metric(avg, "10", "20", "31", "not a number", null)).isEqualTo(20L);
    String median = avg.replace("value_avg", "value_median");
    assertThat(metric(median, "5", "1", "100", "7")).isEqualTo(5L);
    String p90 =
        avg.replace("value_avg", "value_percentile")
            .replace("field: bytes", "field: bytes\n    percentile: 90");
    String[] hundred = new String[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = Integer.toString(i + 1);
    }
    assertThat(metric(p90, hundred)).isEqualTo(90L);
    // No number at all: no mean, no firing, even for a condition 0 would meet.
    assertThat(metric(avg, "n/a", null)).isNull();
  }

  @Test
  void aMeanAboveTheThresholdFiresWhenItFirstHolds() {
    SigmaCorrelation correlation = ruleSet(BYTES_METRIC).correlation("big-calls").orElseThrow();
    CorrelationEvaluator evaluator =
        new CorrelationEvaluator(correlation, Duration.ofMinutes(15), 10_000);
    CorrelationEvaluator.Step first =
        evaluator.accept(null, new CorrelationInput(T0, "denied-call", "50", "a"));
    assertThat(first.outcome()).isEqualTo(CorrelationEvaluator.Outcome.COUNTED);
    CorrelationEvaluator.Step second =
        evaluator.accept(first.state(), new CorrelationInput(T0 + 1, "denied-call", "250", "b"));
    assertThat(second.outcome()).isEqualTo(CorrelationEvaluator.Outcome.FIRED);
    assertThat(second.firing().value()).isEqualTo(150);
  }

  @Test
  void aPercentileIsNamedOnlyWhereItMeansSomething() {
    Map<String, String> cases =
        Map.of(
            "a value_percentile condition needs 'percentile'",
            BYTES_METRIC.replace("value_avg", "value_percentile"),
            "'percentile' needs a whole number from 1 to 99",
            BYTES_METRIC
                .replace("value_avg", "value_percentile")
                .replace("field: bytes", "field: bytes\n    percentile: 100"),
            "'percentile' only applies to value_percentile correlations",
            BYTES_METRIC.replace("field: bytes", "field: bytes\n    percentile: 95"),
            "a value_median condition needs 'field'",
            BYTES_METRIC.replace("value_avg", "value_median").replace("field: bytes\n", ""));
    SigmaRules.assertCorrelationsRefused(cases);
  }

  @Test
  void groupByWorksOnNestedFields() {
    // Defect of the existing Kafka Streams engine: group-by only on top-level fields.
    Driver driver =
        new Driver(
            ruleSet(
                """
                title: Role brute force
                id: role-brute-force
                correlation:
                  type: event_count
                  rules: [failed-login]
                  group-by:
                    - userIdentity.sessionContext.sessionIssuer.arn
                    - additionalEventData.user.name
                  timespan: 5m
                  condition:
                    gte: 3
                """));
    for (int i = 0; i < 3; i++) {
      driver.feed(failedLogin(T0 + i * 1_000L, "198.51.100." + i, "ops"));
      driver.feed(failedLogin(T0 + i * 1_000L, "198.51.100." + i, "dev" + i));
    }
    assertThat(driver.firedGroups).containsExactly("[\"arn:aws:iam::1:role/ops\",\"ops\"]");
    assertThat(
            GroupKey.of(
                    driver.rules.correlation("role-brute-force").orElseThrow(),
                    driver.rules.rule("failed-login").orElseThrow(),
                    failedLogin(T0, "1.2.3.4", "x"))
                .values())
        .containsExactly("arn:aws:iam::1:role/x", "x");
  }

  @Test
  void gteInAConditionMeansAtLeast() {
    // Defect of the first Kafka Streams engine: '>=' parsed wrongly.
    for (var bound : Map.of("gte: 3", 3, "gt: 3", 4).entrySet()) {
      Driver driver = new Driver(ruleSet(BRUTE_FORCE.replace("gte: 5", bound.getKey())));
      int firedAt = -1;
      for (int i = 1; i <= 6 && firedAt < 0; i++) {
        driver.feed(failedLogin(T0 + i * 1_000L, "198.51.100.9", "alice"));
        if (!driver.firings.isEmpty()) {
          firedAt = i;
        }
      }
      assertThat(firedAt).as(bound.getKey()).isEqualTo(bound.getValue());
    }
    SigmaCorrelation parsed = ruleSet(BRUTE_FORCE).correlation("brute-force").orElseThrow();
    assertThat(parsed.condition()).isEqualTo(new CorrelationCondition(null, 5L, null, null, null));
    assertThat(parsed.condition().test(4)).isFalse();
    assertThat(parsed.condition().test(5)).isTrue();
    assertThat(parsed.condition().test(6)).isTrue();
  }

  @Test
  void aConditionWithAnUpperBoundIsDecidedWhenTheWindowCloses() {
    for (var bound : Map.of("eq: 3", 3, "lt: 3", 2, "lte: 4", 4).entrySet()) {
      Driver driver = new Driver(ruleSet(BRUTE_FORCE.replace("gte: 5", bound.getKey())));
      int events = bound.getValue();
      for (int i = 0; i < events; i++) {
        driver.feed(failedLogin(T0 + i * 1_000L, "198.51.100.9", "alice"));
      }
      // A window of the other address gets one event too many.
      for (int i = 0; i <= events; i++) {
        driver.feed(failedLogin(T0 + i * 1_000L, "203.0.113.7", "bob"));
      }
      assertThat(driver.firings).as("nothing before the windows close").isEmpty();
      driver.closeAll();
      assertThat(driver.firings)
          .as(bound.getKey())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.events()).isEqualTo(events);
                assertThat(f.windowStart()).isEqualTo(T0);
              });
    }
  }

  @Test
  void rangeConditionsCombineTheirBounds() {
    CorrelationCondition range = new CorrelationCondition(null, 3L, 6L, null, null);
    assertThat(range.test(2)).isFalse();
    assertThat(range.test(3)).isTrue();
    assertThat(range.test(5)).isTrue();
    assertThat(range.test(6)).isFalse();
    SigmaCorrelation loaded =
        ruleSet(BRUTE_FORCE.replace("gte: 5", "gte: 3\n    lte: 4"))
            .correlation("brute-force")
            .orElseThrow();
    assertThat(loaded.condition()).isEqualTo(new CorrelationCondition(null, 3L, null, 4L, null));
  }

  @Test
  void temporalFiresWhenAllRulesMatchedWithinTheTimespanInAnyOrder() {
    String temporal =
        """
        title: Denied then key
        id: denied-then-key
        correlation:
          type: %s
          rules:
            - denied-call
            - key-created
          group-by:
            - userIdentity.arn
          timespan: 10m
        """;
    String arn = "arn:aws:iam::1:user/mallory";
    Driver any = new Driver(ruleSet(temporal.formatted("temporal")));
    any.feed(key(T0, arn));
    any.feed(denied(T0 + MINUTE, arn, "RunInstances"));
    assertThat(any.firings).hasSize(1);

    Driver ordered = new Driver(ruleSet(temporal.formatted("temporal_ordered")));
    ordered.feed(key(T0, arn));
    ordered.feed(denied(T0 + MINUTE, arn, "RunInstances"));
    assertThat(ordered.firings).as("key before denial is the wrong order").isEmpty();
    ordered.feed(key(T0 + 2 * MINUTE, arn));
    assertThat(ordered.firings).hasSize(1);

    Driver tooFar = new Driver(ruleSet(temporal.formatted("temporal")));
    tooFar.feed(denied(T0, arn, "RunInstances"));
    tooFar.feed(key(T0 + 11 * MINUTE, arn));
    assertThat(tooFar.firings).isEmpty();
  }

  private static EventView key(long time, String arn) {
    return SigmaRules.event(
        """
        {"eventID": "k-%d", "eventTime": "%s", "eventName": "CreateAccessKey",
         "eventSource": "iam.amazonaws.com", "userIdentity": {"type": "IAMUser", "arn": "%s"}}
        """
            .formatted(time, Instant.ofEpochMilli(time), arn));
  }

  @Test
  void outOfOrderEventsAreCountedInTheirWindow() {
    Driver driver = new Driver(ruleSet(BRUTE_FORCE));
    long[] times = {T0 + 4 * MINUTE, T0 + 10_000, T0 + 3 * MINUTE, T0 + 20_000, T0 + 30_000};
    for (long time : times) {
      driver.feed(failedLogin(time, "198.51.100.9", "alice"));
    }
    assertThat(driver.firings)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.windowStart()).isEqualTo(T0);
              assertThat(f.windowEnd()).isEqualTo(T0 + 4 * MINUTE);
              assertThat(f.events()).isEqualTo(5);
            });
  }

  @Test
  void aWindowFarBehindOtherTrafficIsCountedAsIfOnTime() {
    // Backfilled logs: a window a week old opens and fires like a current one.
    SigmaCorrelation correlation = ruleSet(BRUTE_FORCE).correlation("brute-force").orElseThrow();
    CorrelationEvaluator evaluator = new CorrelationEvaluator(correlation);
    long weekAgo = T0 - 7 * 24 * 60 * MINUTE;
    CorrelationState state = null;
    CorrelationEvaluator.Step step = null;
    for (int i = 0; i < 5; i++) {
      step =
          evaluator.accept(
              state, new CorrelationInput(weekAgo + i * 1_000, "failed-login", null, "e" + i));
      state = step.state();
    }
    assertThat(step.outcome()).isEqualTo(CorrelationEvaluator.Outcome.FIRED);
    assertThat(state.windowStart()).isEqualTo(weekAgo);
  }

  @Test
  void aStragglerOfAClosedWindowIsLateNotCounted() {
    SigmaCorrelation correlation = ruleSet(BRUTE_FORCE).correlation("brute-force").orElseThrow();
    CorrelationEvaluator evaluator =
        new CorrelationEvaluator(correlation, Duration.ofMinutes(15), 100);
    CorrelationState open =
        evaluator.accept(null, new CorrelationInput(T0, "failed-login", null, "a")).state();
    long windowEnd = T0 + 5 * MINUTE;
    assertThat(evaluator.closable(open, windowEnd + 14 * MINUTE)).isFalse();
    assertThat(evaluator.closable(open, windowEnd + 15 * MINUTE)).isTrue();
    CorrelationState closed = evaluator.close(open).state();
    assertThat(closed.closed()).isTrue();
    assertThat(closed.entries()).isEmpty();

    CorrelationEvaluator.Step late =
        evaluator.accept(closed, new CorrelationInput(T0 + 1_000, "failed-login", null, "b"));
    assertThat(late.outcome()).isEqualTo(CorrelationEvaluator.Outcome.LATE);
    assertThat(late.state()).isEqualTo(closed);
    assertThat(late.firing()).isNull();
    assertThat(evaluator.discardable(closed, windowEnd + 29 * MINUTE)).isFalse();
    assertThat(evaluator.discardable(closed, windowEnd + 30 * MINUTE)).isTrue();
  }

  @Test
  void stateStaysBoundedByTheCap() {
    SigmaCorrelation correlation =
        ruleSet(BRUTE_FORCE.replace("gte: 5", "gte: 100000"))
            .correlation("brute-force")
            .orElseThrow();
    CorrelationEvaluator evaluator = new CorrelationEvaluator(correlation, Duration.ZERO, 50);
    CorrelationState state = null;
    for (int i = 0; i < 500; i++) {
      state =
          evaluator
              .accept(state, new CorrelationInput(T0 + i, "failed-login", null, "e" + i))
              .state();
    }
    assertThat(state.entries()).hasSize(50);
    assertThat(state.dropped()).isEqualTo(450);
    assertThat(state.events()).isEqualTo(500);
    assertThat(CorrelationState.fromBytes(state.toBytes())).isEqualTo(state);
  }

  @Test
  void stateRoundTripsThroughItsBinaryForm() {
    CorrelationState state =
        new CorrelationState(
            T0,
            List.of(
                new CorrelationState.Entry(T0, "r1", null, "e1"),
                new CorrelationState.Entry(T0 + 1, "r2", "välue \"quoted\"", null)),
            7,
            3,
            Long.MIN_VALUE,
            false,
            new byte[] {1, 2, 3});
    assertThat(CorrelationState.fromBytes(state.toBytes())).isEqualTo(state);
    CorrelationState fired = state.firedWith(4, 8, 3).closedMarker();
    assertThat(CorrelationState.fromBytes(fired.toBytes())).isEqualTo(fired);
    assertThat(fired.fired()).isTrue();
    assertThat(fired.closed()).isTrue();
  }

  @Test
  void referencedRulesAreSilentUnlessGenerateIsSet() {
    RuleSet silent = ruleSet(BRUTE_FORCE);
    SigmaRule failed = silent.rule("failed-login").orElseThrow();
    assertThat(silent.raisesOwnAlerts(failed)).isFalse();
    assertThat(silent.raisesOwnAlerts(silent.rule("key-created").orElseThrow())).isTrue();
    RuleSet generating =
        ruleSet(BRUTE_FORCE.replace("timespan: 5m", "timespan: 5m\n  generate: true"));
    assertThat(generating.raisesOwnAlerts(generating.rule("failed-login").orElseThrow())).isTrue();
  }

  @Test
  void aliasesPickAFieldPerRule() {
    RuleSet rules =
        ruleSet(
            """
            title: Same principal
            id: same-principal
            correlation:
              type: temporal
              rules: [failed-login, key-created]
              aliases:
                principal:
                  failed-login: userIdentity.userName
                  key-created: userIdentity.arn
              group-by: [principal]
              timespan: 1h
            """);
    SigmaCorrelation correlation = rules.correlation("same-principal").orElseThrow();
    assertThat(
            GroupKey.of(
                    correlation,
                    rules.rule("failed-login").orElseThrow(),
                    failedLogin(T0, "1.2.3.4", "alice"))
                .values())
        .containsExactly("alice");
    assertThat(
            GroupKey.of(correlation, rules.rule("key-created").orElseThrow(), key(T0, "arn:x"))
                .values())
        .containsExactly("arn:x");
  }

  private static final String AFTER_BRUTE_FORCE =
      """
      title: Key made after a brute force
      id: key-after-brute-force
      correlation:
        type: temporal_ordered
        rules:
          - brute-force
          - key-created
        group-by:
          - ip
        aliases:
          ip:
            brute-force: sourceIPAddress
            key-created: sourceIPAddress
        timespan: 1h
      level: critical
      """;

  @Test
  void aCorrelationOverACorrelationResolvesBothAndSilencesTheInnerUnlessGenerate() {
    RuleSet rules = ruleSet(BRUTE_FORCE + "---\n" + AFTER_BRUTE_FORCE);
    SigmaCorrelation outer = rules.correlation("key-after-brute-force").orElseThrow();
    SigmaCorrelation inner = rules.correlation("brute-force").orElseThrow();
    assertThat(outer.referencedIds()).containsExactly("brute-force", "key-created");
    assertThat(outer.correlations()).containsExactly(inner);
    assertThat(outer.rules()).extracting(SigmaRule::id).containsExactly("key-created");
    assertThat(rules.correlationsFedBy(inner)).containsExactly(outer);
    assertThat(rules.raisesOwnAlerts(inner)).isFalse();
    assertThat(outer.groupValues(inner, List.of("203.0.113.5"))).containsExactly("203.0.113.5");

    RuleSet generating =
        ruleSet(
            BRUTE_FORCE
                + "---\n"
                + AFTER_BRUTE_FORCE.replace("timespan: 1h", "timespan: 1h\n  generate: true"));
    assertThat(generating.raisesOwnAlerts(generating.correlation("brute-force").orElseThrow()))
        .isTrue();
  }

  @Test
  void aCorrelationOverACorrelationOverACorrelationIsALoadError() {
    String twice =
        AFTER_BRUTE_FORCE
            .replace("key-after-brute-force", "again")
            .replace("- brute-force", "- key-after-brute-force")
            .replace("brute-force: sourceIPAddress", "key-after-brute-force: ip");
    LoadResult result =
        new SigmaRuleLoader()
            .loadText(
                "c.yml",
                BASE_RULES + "---\n" + BRUTE_FORCE + "---\n" + AFTER_BRUTE_FORCE + "---\n" + twice);
    assertThat(result.errors()).isEmpty();
    RuleSet rules = RuleSet.builder().add(result).build();
    assertThat(rules.loadErrors())
        .singleElement()
        .extracting(RuleLoadException::problem)
        .asString()
        .contains("'again'", "[key-after-brute-force]", "one level");
    assertThat(rules.correlation("key-after-brute-force")).isPresent();
  }

  @Test
  void malformedCorrelationsAreLoadErrors() {
    Map<String, String> cases =
        Map.of(
            "unknown type", BRUTE_FORCE.replace("event_count", "event_sum"),
            "bad timespan", BRUTE_FORCE.replace("timespan: 5m", "timespan: 5 minutes"),
            "no condition", BRUTE_FORCE.replace("  condition:\n    gte: 5\n", ""),
            "bad operator", BRUTE_FORCE.replace("gte: 5", "'>=': 5"),
            "value_count without field", BRUTE_FORCE.replace("event_count", "value_count"),
            "no rules", BRUTE_FORCE.replace("  rules:\n    - failed_login\n", ""));
    cases.forEach(
        (name, yaml) -> {
          LoadResult result = new SigmaRuleLoader().loadText("c.yml", yaml);
          assertThat(result.errors()).as(name).isNotEmpty();
          assertThat(result.correlations()).as(name).isEmpty();
        });
    LoadResult unknownRule =
        new SigmaRuleLoader()
            .loadText("c.yml", BRUTE_FORCE.replace("failed_login", "no_such_rule"));
    assertThat(RuleSet.builder().add(unknownRule).build().loadErrors())
        .singleElement()
        .extracting(RuleLoadException::problem)
        .asString()
        .contains("no_such_rule");
  }
}
