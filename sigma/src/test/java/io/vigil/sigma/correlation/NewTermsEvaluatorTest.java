package io.vigil.sigma.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.parse.SigmaRuleLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** First-seen terms, one term at a time, as the topology and the scan both drive them. */
class NewTermsEvaluatorTest {

  private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();

  private static final String RULES =
      """
      title: Command sent
      id: command-sent
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventName: SendCommand
        condition: selection
      ---
      title: First command
      id: first-command
      correlation:
        type: new_terms
        rules:
          - command-sent
        group-by:
          - userIdentity.arn
      level: medium
      """;

  private static SigmaCorrelation correlation() {
    LoadResult loaded = new SigmaRuleLoader().loadText("first.yml", RULES);
    assertThat(loaded.errors()).isEmpty();
    return loaded.correlations().get(0);
  }

  /** Terms and the rule's data state in a map, as the offline scan keeps them. */
  private static final class Terms {
    final NewTermsEvaluator evaluator;
    final Map<String, TermState> states = new HashMap<>();

    Terms(Duration learning) {
      evaluator = new NewTermsEvaluator(correlation(), learning, Duration.ofMinutes(15));
    }

    NewTermsEvaluator.Outcome see(String term, long time) {
      NewTermsEvaluator.Step step = evaluator.accept(states.get(term), states.get("data"), time);
      states.put(term, step.term());
      states.put("data", step.data());
      return step.outcome();
    }
  }

  @Test
  void theDefaultsAreAFourteenDayHistoryAndASevenDayLearningPeriod() {
    SigmaCorrelation rule = correlation();
    assertThat(rule.timespan()).isEqualTo(Duration.ofDays(14));
    assertThat(rule.learning()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void termsAreOnlyLearnedDuringTheLearningPeriodThenANewOneIsRaisedOnce() {
    Terms terms = new Terms(Duration.ofDays(7));
    assertThat(terms.see("alice", T0)).isEqualTo(NewTermsEvaluator.Outcome.LEARNED);
    assertThat(terms.see("bob", T0 + 6 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.LEARNED);
    assertThat(terms.see("alice", T0 + 8 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.SEEN);
    assertThat(terms.see("bob", T0 + 9 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.SEEN);
    assertThat(terms.see("mallory", T0 + 9 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.NEW);
    assertThat(terms.see("mallory", T0 + 9 * DAY + 1)).isEqualTo(NewTermsEvaluator.Outcome.SEEN);
  }

  @Test
  void aTermUnseenForLongerThanTheHistoryIsNewAgain() {
    Terms terms = new Terms(Duration.ZERO);
    assertThat(terms.see("alice", T0)).isEqualTo(NewTermsEvaluator.Outcome.NEW);
    assertThat(terms.see("bob", T0 + 10 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.NEW);
    assertThat(terms.see("alice", T0 + 14 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.SEEN);
    assertThat(terms.see("bob", T0 + 20 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.SEEN);
    // 14 days and a minute after alice's latest sighting.
    assertThat(terms.see("alice", T0 + 28 * DAY + 60_000)).isEqualTo(NewTermsEvaluator.Outcome.NEW);
  }

  @Test
  void anEventOlderThanItsTermsLatestSightingIsNotNew() {
    Terms terms = new Terms(Duration.ZERO);
    assertThat(terms.see("alice", T0 + DAY)).isEqualTo(NewTermsEvaluator.Outcome.NEW);
    assertThat(terms.see("alice", T0)).isEqualTo(NewTermsEvaluator.Outcome.SEEN);
    assertThat(terms.states.get("alice").firstSeen()).isEqualTo(T0);
    assertThat(terms.states.get("alice").sightings()).isEqualTo(2);
  }

  @Test
  void olderLogsSeedTheHistoryAndEndTheLearningPeriodWhenTheyGoBackFarEnough() {
    Terms terms = new Terms(Duration.ofDays(7));
    // Backfilled: ten days ago alice acted; today mallory does.
    assertThat(terms.see("alice", T0)).isEqualTo(NewTermsEvaluator.Outcome.LEARNED);
    assertThat(terms.see("alice", T0 + 10 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.SEEN);
    assertThat(terms.see("mallory", T0 + 10 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.NEW);
  }

  @Test
  void aRuleThatSawNothingForItsWholeHistoryLearnsAgain() {
    Terms terms = new Terms(Duration.ofDays(7));
    terms.see("alice", T0);
    assertThat(terms.see("bob", T0 + 8 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.NEW);
    // 15 days of silence: the history is empty, so everything would be new.
    assertThat(terms.see("carol", T0 + 23 * DAY)).isEqualTo(NewTermsEvaluator.Outcome.LEARNED);
  }

  @Test
  void aTermIsForgottenOnceStreamTimeIsPastItsHistoryAndTheGrace() {
    Terms terms = new Terms(Duration.ZERO);
    terms.see("alice", T0);
    TermState alice = terms.states.get("alice");
    long history = Duration.ofDays(14).toMillis();
    long grace = Duration.ofMinutes(15).toMillis();
    assertThat(terms.evaluator.discardable(alice, T0 + history + grace)).isFalse();
    assertThat(terms.evaluator.discardable(alice, T0 + history + grace + 1)).isTrue();
  }

  @Test
  void termStatesSurviveTheirBytesAndRefuseOthers() {
    TermState state = new TermState(T0, T0 + DAY, 42);
    assertThat(TermState.fromBytes(state.toBytes())).isEqualTo(state);
    assertThat(TermState.first(T0).seenAt(T0 - 5).seenAt(T0 + 5))
        .isEqualTo(new TermState(T0 - 5, T0 + 5, 3));
    assertThatThrownBy(() -> TermState.fromBytes(new byte[] {2, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a term state");
  }
}
