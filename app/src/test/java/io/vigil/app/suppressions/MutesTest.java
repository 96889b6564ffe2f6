package io.vigil.app.suppressions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Suppression;
import io.vigil.schemas.SuppressionScope;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which mute in force covers an alert: by rule, then entity, account or everywhere, until its end.
 */
class MutesTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

  @Test
  void anEntityMuteCoversOnlyThatEntitysAlertsOfThatRule() {
    List<Suppression> mutes =
        List.of(mute("m1", "aws-root-account-usage", SuppressionScope.entity, ALICE, "13:00"));
    assertThat(Mutes.covering(mutes, "aws-root-account-usage", "111122223333", ALICE, NOW))
        .hasValueSatisfying(s -> assertThat(s.getSuppressionId()).isEqualTo("m1"));
    assertThat(
            Mutes.covering(
                mutes,
                "aws-root-account-usage",
                "111122223333",
                "arn:aws:iam::111122223333:user/bob",
                NOW))
        .isEmpty();
    assertThat(Mutes.covering(mutes, "aws-iam-policy-change", "111122223333", ALICE, NOW))
        .isEmpty();
  }

  @Test
  void anAccountMuteCoversTheAccountAndAnEverywhereMuteEveryAlertOfTheRule() {
    List<Suppression> mutes =
        List.of(
            mute("m1", "r", SuppressionScope.account, "444455556666", "13:00"),
            mute("m2", "q", SuppressionScope.everywhere, null, "13:00"));
    assertThat(Mutes.covering(mutes, "r", "444455556666", ALICE, NOW)).isPresent();
    assertThat(Mutes.covering(mutes, "r", "111122223333", ALICE, NOW)).isEmpty();
    assertThat(Mutes.covering(mutes, "q", "111122223333", "anything", NOW)).isPresent();
  }

  @Test
  void aMuteEndsAtItsTimeOrWhenRemoved() {
    Suppression expired = mute("m1", "r", SuppressionScope.everywhere, null, "11:59");
    Suppression removed =
        Suppression.newBuilder(mute("m2", "r", SuppressionScope.everywhere, null, "13:00"))
            .setRemovedAt("2026-12-04T11:30:00Z")
            .setRemovedBy("bob")
            .build();
    assertThat(Mutes.covering(List.of(expired, removed), "r", "1", "e", NOW)).isEmpty();
    assertThat(Mutes.inForce(expired, Instant.parse("2026-12-04T11:58:00Z"))).isTrue();
    Suppression unreadable =
        Suppression.newBuilder(mute("m3", "r", SuppressionScope.everywhere, null, "13:00"))
            .setUntil("next tuesday")
            .build();
    assertThat(Mutes.covering(List.of(unreadable), "r", "1", "e", NOW)).isEmpty();
  }

  @Test
  void theMuteMadeFirstIsTheOneNamed() {
    Suppression later = mute("m-later", "r", SuppressionScope.everywhere, null, "13:00");
    Suppression first =
        Suppression.newBuilder(mute("m-first", "r", SuppressionScope.entity, ALICE, "13:00"))
            .setCreatedAt("2026-12-04T09:00:00Z")
            .build();
    assertThat(Mutes.covering(List.of(later, first), "r", "1", ALICE, NOW))
        .hasValueSatisfying(s -> assertThat(s.getSuppressionId()).isEqualTo("m-first"));
  }

  private static Suppression mute(
      String id, String rule, SuppressionScope scope, String value, String until) {
    return Suppression.newBuilder()
        .setSuppressionId(id)
        .setRuleId(rule)
        .setScope(scope)
        .setValue(value)
        .setCreatedAt("2026-12-04T10:00:00Z")
        .setCreatedBy("alice")
        .setUntil("2026-12-04T" + until + ":00Z")
        .setReason("known scanner")
        .build();
  }
}
