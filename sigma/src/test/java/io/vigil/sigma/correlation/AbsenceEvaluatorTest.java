package io.vigil.sigma.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.testing.SigmaRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Absence correlations, one group at a time. */
class AbsenceEvaluatorTest {

  private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final long GRACE = Duration.ofMinutes(15).toMillis();

  private static final String RULES =
      """
      title: Stopped
      id: stopped
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventName: StopLogging
        condition: selection
      ---
      title: Started
      id: started
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventName: StartLogging
        condition: selection
      ---
      title: Stopped for good
      id: stopped-for-good
      correlation:
        type: absence
        rules:
          - stopped
          - started
        group-by:
          - requestParameters.name
        timespan: 30m
      level: high
      """;

  private static AbsenceEvaluator evaluator() {
    SigmaCorrelation correlation =
        SigmaRules.ruleSet(RULES).correlation("stopped-for-good").orElseThrow();
    return new AbsenceEvaluator(correlation, Duration.ofMinutes(15));
  }

  private static CorrelationInput event(String rule, long time) {
    return new CorrelationInput(time, rule, null, rule + "@" + time);
  }

  @Test
  void aFirstEventIsDueOnceStreamTimePassesItsDeadlineAndTheGrace() {
    AbsenceEvaluator evaluator = evaluator();
    AbsenceState state = evaluator.accept(null, event("stopped", T0), new byte[] {1}).state();
    assertThat(state.pending()).isTrue();
    assertThat(state.pendingRef()).isEqualTo("stopped@" + T0);
    long deadline = T0 + 30 * MINUTE;
    assertThat(evaluator.due(state, deadline + GRACE - 1, Long.MIN_VALUE)).isFalse();
    assertThat(evaluator.due(state, deadline + GRACE, Long.MIN_VALUE)).isTrue();
    // A stalled stream: wall-clock time decides an hour later.
    long stalled = deadline + GRACE + AbsenceEvaluator.STALLED_AFTER.toMillis();
    assertThat(evaluator.due(state, T0, stalled - 1)).isFalse();
    assertThat(evaluator.due(state, T0, stalled)).isTrue();
    assertThat(evaluator.raised(state).pending()).isFalse();
  }

  @Test
  void aFollowUpWithinTheTimespanAnswersTheFirstEventsBeforeIt() {
    AbsenceEvaluator evaluator = evaluator();
    AbsenceState state = evaluator.accept(null, event("stopped", T0), null).state();
    state = evaluator.accept(state, event("stopped", T0 + 5 * MINUTE), null).state();
    assertThat(state.pendingAt()).isEqualTo(T0);
    state = evaluator.accept(state, event("started", T0 + 30 * MINUTE), null).state();
    assertThat(state.pending()).isFalse();
    // Too late a follow-up answers nothing.
    AbsenceState late = evaluator.accept(null, event("stopped", T0), null).state();
    late = evaluator.accept(late, event("started", T0 + 31 * MINUTE), null).state();
    assertThat(late.pending()).isTrue();
  }

  @Test
  void aFollowUpThatArrivedFirstStillCountsButOneBeforeTheEventDoesNot() {
    AbsenceEvaluator evaluator = evaluator();
    AbsenceState state = evaluator.accept(null, event("started", T0 + 10 * MINUTE), null).state();
    AbsenceEvaluator.Step stop = evaluator.accept(state, event("stopped", T0), null);
    assertThat(stop.outcome()).isEqualTo(AbsenceEvaluator.Outcome.ANSWERED);
    assertThat(stop.state().pending()).isFalse();
    AbsenceEvaluator.Step later =
        evaluator.accept(stop.state(), event("stopped", T0 + 20 * MINUTE), null);
    assertThat(later.outcome()).isEqualTo(AbsenceEvaluator.Outcome.WAITING);
    assertThat(later.state().pending()).isTrue();
  }

  @Test
  void statesSurviveTheirBytes() {
    AbsenceState state = new AbsenceState(T0, "e-1", T0 - MINUTE, new byte[] {1, 2, 3});
    assertThat(AbsenceState.fromBytes(state.toBytes())).isEqualTo(state);
    assertThat(AbsenceState.fromBytes(AbsenceState.EMPTY.toBytes())).isEqualTo(AbsenceState.EMPTY);
  }

  @Test
  void anAbsenceCorrelationNeedsAFollowUpAndNoCondition() {
    Map<String, String> cases =
        Map.of(
            "the first event, then the rules of which one must follow it",
            RULES.replace("    - started\n  group-by", "  group-by"),
            "an absence correlation has no 'condition'",
            RULES.replace("timespan: 30m", "timespan: 30m\n  condition:\n    gte: 1"));
    SigmaRules.assertCorrelationsRefused(cases);
  }
}
