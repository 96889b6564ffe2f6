package io.vigil.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertState;
import io.vigil.schemas.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRendererTest {

  private static final RuleInfo RULE =
      new RuleInfo(
          "aws-root-account-usage",
          "Root account used",
          Severity.high,
          "The root user made an API call.",
          List.of("cis.aws.4.3", "attack.t1078.004"),
          "Vigil");

  @Test
  void alertCarriesRuleMetadataConfiguredAccountNameAndMaskedEvidence() {
    AlertRenderer renderer =
        new AlertRenderer(
            new EvidenceMasker(List.of("requestParameters.key")), Map.of("111122223333", "prod"));
    Alert alert = renderer.render(state("111122223333"), RULE);
    assertThat(alert.getAccountName()).isEqualTo("prod");
    assertThat(alert.getTitle()).isEqualTo("Root account used");
    assertThat(alert.getCompliance()).containsExactly("CIS-AWS 4.3");
    assertThat(alert.getAttack()).containsExactly("T1078.004");
    assertThat(alert.getEvidence())
        .containsEntry("requestParameters.key", EvidenceMasker.MASK)
        .containsEntry("eventName", "GetObject");
    assertThat(alert.getFirstSeen()).isEqualTo("2026-11-28T10:00:00Z");
  }

  @Test
  void accountWithoutAConfiguredNameHasNone() {
    assertThat(
            new AlertRenderer(EvidenceMasker.NONE)
                .render(state("444455556666"), RULE)
                .getAccountName())
        .isNull();
  }

  private static AlertState state(String account) {
    Instant t0 = Instant.parse("2026-11-28T10:00:00Z");
    return AlertState.newBuilder()
        .setAlertId("a")
        .setDedupKey("k")
        .setRuleId(RULE.id())
        .setEntity("root")
        .setAccountId(account)
        .setSource("cloudtrail")
        .setFirstSeen(t0)
        .setLastSeen(t0)
        .setCount(1)
        .setEventIds(List.of("e1"))
        .setEvidence(Map.of("requestParameters.key", "p/123.pdf", "eventName", "GetObject"))
        .setWindowEnd(t0.plusSeconds(900))
        .setLastEmittedAt(t0)
        .build();
  }
}
