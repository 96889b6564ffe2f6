package io.vigil.sigma.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sigma.testing.SigmaRules;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  private static final String RULES =
      """
      title: Trail stopped
      id: stopped
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventName:
            - StopLogging
            - DeleteTrail
        condition: selection
      level: high
      ---
      title: Key disabled
      id: kms-disabled
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventSource: kms.amazonaws.com
          eventName: DisableKey
        condition: selection
      level: high
      ---
      title: Anything from S3
      id: s3-any
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventSource: s3.amazonaws.com
          errorCode: AccessDenied
        condition: selection
      level: low
      ---
      title: Root anywhere
      id: root
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          userIdentity.type: Root
        condition: selection
      level: high
      ---
      title: Flow to 22
      id: ssh-flow
      logsource:
        product: aws
        service: vpcflowlogs
      detection:
        selection:
          dstport: 22
        condition: selection
      level: low
      ---
      title: Stopped, then S3 denied
      id: stopped-then-denied
      correlation:
        type: temporal
        rules:
          - stopped
          - s3-any
        group-by:
          - recipientAccountId
        timespan: 10m
      level: high
      ---
      title: Stopped, then root
      id: stopped-then-root
      correlation:
        type: temporal
        rules:
          - stopped
          - root
        group-by:
          - recipientAccountId
        timespan: 10m
      level: high
      """;

  private static RuleSet rules() {
    return SigmaRules.ruleSet(RULES);
  }

  @Test
  void aRuleNeedsTheEventNamesItsDetectionRequires() {
    Telemetry stopped = rules().telemetry("stopped").orElseThrow();

    assertThat(stopped.eventNames()).containsExactlyInAnyOrder("stoplogging", "deletetrail");
    assertThat(stopped.needs("cloudtrail", "cloudtrail.amazonaws.com", "StopLogging")).isTrue();
    assertThat(stopped.needs("cloudtrail", "cloudtrail.amazonaws.com", "StartLogging")).isFalse();
    assertThat(stopped.needs("vpcflow", null, null)).isFalse();
    assertThat(stopped.describe()).isEqualTo("cloudtrail: eventName deletetrail, stoplogging");
    assertThat(stopped.fromService("cloudtrail", "cloudtrail.amazonaws.com"))
        .as("the rule names no eventSource")
        .isFalse();
  }

  @Test
  void aRuleNamingItsCallAndItsServiceNeedsTheCallAndKnowsItsService() {
    Telemetry kms = rules().telemetry("kms-disabled").orElseThrow();

    assertThat(kms.needs("cloudtrail", "kms.amazonaws.com", "DisableKey")).isTrue();
    assertThat(kms.needs("cloudtrail", "kms.amazonaws.com", "Decrypt"))
        .as("another call of the service is not what the rule reads")
        .isFalse();
    assertThat(kms.fromService("cloudtrail", "kms.amazonaws.com")).isTrue();
    assertThat(kms.fromService("cloudtrail", "s3.amazonaws.com")).isFalse();
    assertThat(kms.describe()).isEqualTo("cloudtrail: eventName disablekey (kms.amazonaws.com)");
  }

  @Test
  void withoutEventNamesTheEventSourceAndWithoutEitherAnyEventOfItsLog() {
    RuleSet rules = rules();

    Telemetry s3 = rules.telemetry("s3-any").orElseThrow();
    assertThat(s3.needs("cloudtrail", "s3.amazonaws.com", "GetObject")).isTrue();
    assertThat(s3.fromService("cloudtrail", "s3.amazonaws.com")).isTrue();
    assertThat(s3.needs("cloudtrail", "iam.amazonaws.com", "GetUser")).isFalse();
    Telemetry root = rules.telemetry("root").orElseThrow();
    assertThat(root.anyEvent()).isTrue();
    assertThat(root.needs("cloudtrail", "iam.amazonaws.com", "GetUser")).isTrue();
    Telemetry flow = rules.telemetry("ssh-flow").orElseThrow();
    assertThat(flow.needs("vpcflow", null, null)).isTrue();
    assertThat(flow.needs("cloudtrail", "s3.amazonaws.com", "GetObject")).isFalse();
  }

  @Test
  void aCorrelationNeedsWhatAnyOfItsRulesNeeds() {
    RuleSet rules = rules();

    Telemetry both = rules.telemetry("stopped-then-denied").orElseThrow();
    assertThat(both.needs("cloudtrail", "cloudtrail.amazonaws.com", "DeleteTrail")).isTrue();
    assertThat(both.needs("cloudtrail", "s3.amazonaws.com", "PutObject")).isTrue();
    assertThat(both.needs("cloudtrail", "iam.amazonaws.com", "GetUser")).isFalse();
    assertThat(rules.telemetry("stopped-then-root").orElseThrow().anyEvent()).isTrue();
    assertThat(rules.telemetry("no-such-rule")).isEmpty();
  }
}
