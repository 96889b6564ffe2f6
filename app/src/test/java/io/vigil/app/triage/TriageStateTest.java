package io.vigil.app.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import org.junit.jupiter.api.Test;

/** An alert's triage: changes applied in order, and what a later match does to each status. */
class TriageStateTest {

  @Test
  void anUntouchedAlertIsOpenAndUnassigned() {
    assertThat(TriageState.UNTOUCHED.status(0)).isEqualTo(TriageStatus.open);
    assertThat(TriageState.UNTOUCHED.assignee()).isEmpty();
    assertThat(TriageState.UNTOUCHED.history()).isEmpty();
  }

  @Test
  void statusAndAssigneeChangeIndependentlyAndEveryChangeIsKept() {
    TriageState state =
        TriageState.UNTOUCHED
            .with(change(TriageStatus.acknowledged, null, 0))
            .with(change(null, "bob", 0))
            .with(change(null, "", 0));
    assertThat(state.status(0)).isEqualTo(TriageStatus.acknowledged);
    assertThat(state.assignee()).isEmpty();
    assertThat(state.history()).hasSize(3);
    assertThat(state.historyJson().get(1).get("assignee").asText()).isEqualTo("bob");
    assertThat(state.historyJson().get(2).get("assignee").isNull()).isTrue();
  }

  @Test
  void aResolvedAlertUpdatedByALaterMatchIsOpenAgain() {
    TriageState resolved = TriageState.UNTOUCHED.with(change(TriageStatus.resolved, null, 2));
    assertThat(resolved.status(2)).isEqualTo(TriageStatus.resolved);
    assertThat(resolved.reopened(2)).isFalse();
    assertThat(resolved.status(3)).isEqualTo(TriageStatus.open);
    assertThat(resolved.reopened(3)).isTrue();
    assertThat(resolved.recordedStatus()).isEqualTo(TriageStatus.resolved);
  }

  @Test
  void aFalsePositiveOrAnAcknowledgementStaysWhenTheAlertIsUpdated() {
    assertThat(TriageState.UNTOUCHED.with(change(TriageStatus.false_positive, null, 0)).status(5))
        .isEqualTo(TriageStatus.false_positive);
    assertThat(TriageState.UNTOUCHED.with(change(TriageStatus.acknowledged, null, 0)).status(5))
        .isEqualTo(TriageStatus.acknowledged);
  }

  @Test
  void reopeningByHandClearsTheResolution() {
    TriageState reopened =
        TriageState.UNTOUCHED
            .with(change(TriageStatus.resolved, null, 1))
            .with(change(TriageStatus.open, null, 1));
    assertThat(reopened.status(1)).isEqualTo(TriageStatus.open);
    assertThat(reopened.reopened(4)).isFalse();
  }

  private static TriageChange change(TriageStatus status, String assignee, int update) {
    return TriageChange.newBuilder()
        .setAlertId("a-1")
        .setDedupKey("aws-rule:111122223333:alice:2026-12-04T10:00:00Z")
        .setAt("2026-12-04T10:00:00Z")
        .setBy("alice")
        .setStatus(status)
        .setAssignee(assignee)
        .setAlertUpdate(update)
        .build();
  }
}
