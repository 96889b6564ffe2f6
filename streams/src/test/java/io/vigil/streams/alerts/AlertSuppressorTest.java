package io.vigil.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.AlertState;
import io.vigil.schemas.RuleMatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertSuppressorTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private final AlertSuppressor suppressor =
      new AlertSuppressor(
          new AlertSuppressor.Settings(Duration.ofMinutes(15), Duration.ofMinutes(1), 3));

  @Test
  void firstMatchOpensAnAlertAndEmitsIt() {
    var outcome = suppressor.apply(Optional.empty(), match(T0, "e1"));
    assertThat(outcome.emit()).isTrue();
    assertThat(outcome.state().getCount()).isEqualTo(1);
    assertThat(outcome.state().getUpdate()).isZero();
    assertThat(outcome.state().getWindowEnd()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
  }

  @Test
  void matchesWithinTheUpdateIntervalAreHeldBackThenFlushed() {
    AlertState s = suppressor.apply(Optional.empty(), match(T0, "e1")).state();
    var second = suppressor.apply(Optional.of(s), match(T0.plusSeconds(10), "e2"));
    assertThat(second.emit()).isFalse();
    assertThat(second.state().getPending()).isTrue();
    assertThat(second.state().getCount()).isEqualTo(2);

    assertThat(suppressor.flushDue(second.state(), T0.plusSeconds(30))).isFalse();
    assertThat(suppressor.flushDue(second.state(), T0.plusSeconds(60))).isTrue();
    AlertState flushed = suppressor.flush(second.state(), T0.plusSeconds(60)).orElseThrow();
    assertThat(flushed.getUpdate()).isEqualTo(1);
    assertThat(flushed.getPending()).isFalse();
    assertThat(flushed.getDedupKey()).isEqualTo(s.getDedupKey());
    assertThat(suppressor.flush(flushed, T0.plusSeconds(61))).isEmpty();
  }

  @Test
  void matchAfterTheUpdateIntervalIsEmittedAsAnUpdateOfTheSameAlert() {
    AlertState s = suppressor.apply(Optional.empty(), match(T0, "e1")).state();
    var later = suppressor.apply(Optional.of(s), match(T0.plusSeconds(90), "e2"));
    assertThat(later.emit()).isTrue();
    assertThat(later.state().getUpdate()).isEqualTo(1);
    assertThat(later.state().getAlertId()).isEqualTo(s.getAlertId());
    assertThat(later.state().getLastSeen()).isEqualTo(T0.plusSeconds(90));
  }

  @Test
  void matchesOfTheNextWindowHaveAStateAndADedupKeyOfTheirOwn() {
    RuleMatch first = match(T0, "e1");
    RuleMatch sameWindow = match(T0.plus(Duration.ofMinutes(15)).minusMillis(1), "e2");
    RuleMatch next = match(T0.plus(Duration.ofMinutes(15)), "e3");
    assertThat(suppressor.stateKey(sameWindow)).isEqualTo(suppressor.stateKey(first));
    assertThat(suppressor.stateKey(next)).isNotEqualTo(suppressor.stateKey(first));
    AlertState s = suppressor.apply(Optional.empty(), first).state();
    AlertState n = suppressor.apply(Optional.empty(), next).state();
    assertThat(n.getDedupKey()).isNotEqualTo(s.getDedupKey());
    assertThat(n.getAlertId()).isNotEqualTo(s.getAlertId());
    assertThat(n.getCount()).isEqualTo(1);
  }

  @Test
  void windowsAreAlignedOnTheirLengthWhateverTheFirstMatch() {
    RuleMatch late = match(T0.plus(Duration.ofMinutes(7)), "e1");
    AlertState s = suppressor.apply(Optional.empty(), late).state();
    assertThat(suppressor.windowStart(late)).isEqualTo(T0);
    assertThat(s.getWindowEnd()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    assertThat(s.getFirstSeen()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
    assertThat(s.getDedupKey()).endsWith(":" + T0.getEpochSecond());
  }

  @Test
  void lateEventInsideTheWindowMovesFirstSeenBackAndKeepsTheLatestEvidence() {
    AlertState s = suppressor.apply(Optional.empty(), match(T0.plusSeconds(60), "e1")).state();
    var late = suppressor.apply(Optional.of(s), match(T0.plusSeconds(30), "e0"));
    assertThat(late.state().getFirstSeen()).isEqualTo(T0.plusSeconds(30));
    assertThat(late.state().getLastSeen()).isEqualTo(T0.plusSeconds(60));
    assertThat(late.state().getEvidence()).isEqualTo(s.getEvidence());
  }

  @Test
  void eventIdsAreBoundedToTheMostRecentAndDeduplicated() {
    AlertState s = suppressor.apply(Optional.empty(), match(T0, "e1")).state();
    for (int i = 2; i <= 5; i++) {
      s = suppressor.apply(Optional.of(s), match(T0.plusSeconds(i), "e" + i)).state();
    }
    s = suppressor.apply(Optional.of(s), match(T0.plusSeconds(6), "e5")).state();
    assertThat(s.getEventIds()).containsExactly("e3", "e4", "e5");
    assertThat(s.getCount()).isEqualTo(6);
  }

  @Test
  void sameWindowGivesTheSameDedupKeyOnReplay() {
    assertThat(suppressor.apply(Optional.empty(), match(T0, "e1")).state().getDedupKey())
        .isEqualTo(suppressor.apply(Optional.empty(), match(T0, "e9")).state().getDedupKey());
  }

  @Test
  void stateExpiresOnlyAfterItsWindowAndGraceWithNothingPending() {
    AlertState s = suppressor.apply(Optional.empty(), match(T0, "e1")).state();
    Duration grace = Duration.ofMinutes(15);
    assertThat(AlertSuppressor.expired(s, T0.plus(Duration.ofMinutes(29)), grace)).isFalse();
    assertThat(AlertSuppressor.expired(s, T0.plus(Duration.ofMinutes(31)), grace)).isTrue();
  }

  private static RuleMatch match(Instant at, String eventId) {
    return RuleMatch.newBuilder()
        .setRuleId("aws-root-account-usage")
        .setEntity("arn:aws:iam::111122223333:root")
        .setAccountId("111122223333")
        .setRegion("us-east-1")
        .setEventTime(at)
        .setFirstEventTime(at)
        .setEventIds(List.of(eventId))
        .setCount(1)
        .setEvidence(Map.of("eventName", "ConsoleLogin@" + at))
        .setSource("cloudtrail")
        .build();
  }
}
