package io.vigil.app.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.Aggregate;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.Severity;
import io.vigil.sigma.model.RuleSet;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.IngestGaps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CoverageEvidenceTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);
  private static final RuleSet RULES = DetectionEngine.ruleSet(DetectionSettings.DEFAULTS);
  private static final AttackCoverage COVERAGE = AttackCoverage.of(RULES, Map.of());

  @Test
  void aRuleSeesItsEventsOnlyWithinTheLookBackAndCountsItsRecentAlerts() {
    List<Aggregate> seen =
        List.of(
            kind("cloudtrail.amazonaws.com", "StopLogging", NOW.minus(Duration.ofDays(2))),
            kind("kms.amazonaws.com", "ScheduleKeyDeletion", NOW.minus(Duration.ofDays(30))),
            kind("s3.amazonaws.com", "GetObject", NOW.minus(Duration.ofDays(1))));
    List<Alert> alerts =
        List.of(
            alert("aws-cloudtrail-logging-disabled", NOW.minus(Duration.ofDays(2))),
            alert("aws-cloudtrail-logging-disabled", NOW.minus(Duration.ofDays(20))));

    Map<String, CoverageEvidence.Evidence> evidence =
        CoverageEvidence.of(RULES, COVERAGE.ruleIds(), seen, alerts, NOW, WEEK);

    CoverageEvidence.Evidence trail = evidence.get("aws-cloudtrail-logging-disabled");
    assertThat(trail.seen()).isTrue();
    assertThat(trail.lastFired()).isEqualTo(NOW.minus(Duration.ofDays(2)));
    assertThat(trail.alerts()).as("only the alert within the week").isEqualTo(1);
    CoverageEvidence.Evidence kms = evidence.get("aws-kms-key-disabled-or-deleted");
    assertThat(kms.seen()).as("its last event is older than the week").isFalse();
    assertThat(kms.lastEvent()).isEqualTo(NOW.minus(Duration.ofDays(30)));
    assertThat(kms.lastFired()).isNull();
    assertThat(kms.serviceSeen()).as("no KMS event in the week either: blind").isFalse();
    assertThat(evidence.get("aws-s3-bucket-public").seen()).isFalse();
    assertThat(evidence.get("aws-s3-bucket-public").serviceSeen())
        .as("S3 events came, not the calls it reads: quiet")
        .isTrue();
    assertThat(evidence.get("posture-cloudtrail-not-logging").seen()).isTrue();
    assertThat(evidence.get("aws-root-account-usage").seen())
        .as("a rule that reads any CloudTrail event")
        .isTrue();
    assertThat(evidence.get("vpc-port-scan").seen()).as("no flow log arrived").isFalse();
    CoverageEvidence.Evidence gap = evidence.get(IngestGaps.ruleInfo().id());
    assertThat(gap.seen()).as("the ingest raises it: no event needed").isNull();
    assertThat(gap.telemetry()).isNull();
  }

  @Test
  void aCorrelationSeesTheEventsOfAnyOfItsRulesAndFlowRulesTheFlowLog() {
    List<Aggregate> seen =
        List.of(kind("signin.amazonaws.com", "ConsoleLogin", NOW.minusSeconds(60)), flows(NOW));

    Map<String, CoverageEvidence.Evidence> evidence =
        CoverageEvidence.of(RULES, COVERAGE.ruleIds(), seen, List.of(), NOW, WEEK);

    assertThat(evidence.get("aws-console-login-after-brute-force").seen()).isTrue();
    assertThat(evidence.get("vpc-port-scan").seen()).isTrue();
    assertThat(evidence.get("aws-kms-key-disabled-or-deleted").seen()).isFalse();
  }

  @Test
  void theEvidenceReadsBackFromTheJsonOfTheApi() throws Exception {
    List<Aggregate> seen = List.of(kind("cloudtrail.amazonaws.com", "StopLogging", NOW));
    Map<String, CoverageEvidence.Evidence> evidence =
        CoverageEvidence.of(
            RULES,
            COVERAGE.ruleIds(),
            seen,
            List.of(alert("aws-cloudtrail-logging-disabled", NOW)),
            NOW,
            WEEK);

    String json = COVERAGE.withEvidence(evidence, WEEK).json();

    assertThat(CoverageEvidence.fromJson(new ObjectMapper().readTree(json))).isEqualTo(evidence);
    assertThat(new ObjectMapper().readTree(json).get("evidence_days").asInt()).isEqualTo(7);
  }

  private static Aggregate kind(String source, String name, Instant last) {
    return new Aggregate(
        "cloudtrail.events",
        Map.of(
            "account",
            "111122223333",
            "region",
            "us-east-1",
            "eventSource",
            source,
            "eventName",
            name),
        last.minus(Duration.ofDays(60)),
        last,
        5L,
        null,
        null);
  }

  private static Aggregate flows(Instant last) {
    return new Aggregate(
        "vpcflow.bytes_by_action",
        Map.of("account", "111122223333", "action", "ACCEPT"),
        last,
        last,
        1L,
        10L,
        null);
  }

  private static Alert alert(String rule, Instant lastSeen) {
    String key = rule + ":" + UUID.randomUUID();
    return Alert.newBuilder()
        .setAlertId(UUID.randomUUID().toString())
        .setRuleId(rule)
        .setTitle(rule)
        .setSeverity(Severity.high)
        .setAccountId("111122223333")
        .setRegion("us-east-1")
        .setEntity("arn:aws:iam::111122223333:role/admin")
        .setFirstSeen(lastSeen.toString())
        .setLastSeen(lastSeen.toString())
        .setCount(1)
        .setEventIds(List.of("e-1"))
        .setCompliance(List.of())
        .setAttack(List.of())
        .setDedupKey(key)
        .setDescription("")
        .setEvidence(Map.of())
        .setUpdate(0)
        .setSource(AlertSource.cloudtrail)
        .build();
  }
}
