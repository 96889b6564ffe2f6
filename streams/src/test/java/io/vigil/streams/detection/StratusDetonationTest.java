package io.vigil.streams.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.streams.aws.AwsDerivedFields;
import io.vigil.streams.aws.CloudTrailEventView;
import io.vigil.streams.aws.CloudTrailRecords;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SigmaHQ CloudTrail rules over the Stratus Red Team detonation logs: each technique that a
 * SigmaHQ rule targets raises that rule. The full technique-to-rules matrix is written to {@code
 * target/stratus-sigmahq-matrix.txt} for the record.
 */
class StratusDetonationTest {

  private static RuleSet rules;
  private static Map<String, Set<String>> fired;

  @BeforeAll
  static void detonate() throws IOException {
    LoadResult loaded =
        AwsDerivedFields.ruleLoader().loadDirectory(TestData.path("sigma_aws/rules"));
    assertThat(loaded.errors()).isEmpty();
    rules = RuleSet.builder().add(loaded).build();
    fired = new TreeMap<>();
    Path logs = TestData.path("stratus_red_team/docs/detonation-logs");
    List<Path> files;
    try (Stream<Path> list = Files.list(logs)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    StringBuilder report = new StringBuilder();
    for (Path file : files) {
      String technique = file.getFileName().toString().replaceFirst("\\.json$", "");
      Set<String> hits = new TreeSet<>();
      for (CloudTrailEvent event : CloudTrailRecords.readFile(file)) {
        for (SigmaRule rule : rules.matching(new CloudTrailEventView(event))) {
          hits.add(ruleFile(rule));
        }
      }
      fired.put(technique, hits);
      report.append(technique).append(": ").append(hits).append('\n');
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/stratus-sigmahq-matrix.txt"), report);
  }

  private static String ruleFile(SigmaRule rule) {
    String source = rule.source();
    return source.substring(source.lastIndexOf('/') + 1).replaceFirst("\\.yml$", "");
  }

  @Test
  void stoppingOrDeletingTheTrailRaisesTheDisableLoggingRule() {
    assertThat(fired.get("aws.defense-evasion.cloudtrail-stop"))
        .contains("aws_cloudtrail_disable_logging");
    assertThat(fired.get("aws.defense-evasion.cloudtrail-delete"))
        .contains("aws_cloudtrail_disable_logging");
  }

  @Test
  void removingFlowLogsRaisesTheFlowLogsDeletedRule() {
    assertThat(fired.get("aws.defense-evasion.vpc-remove-flow-logs"))
        .contains("aws_cloudtrail_vpc_flow_logs_deleted");
  }

  @Test
  void openingPort22RaisesTheSecurityGroupChangeRule() {
    assertThat(fired.get("aws.exfiltration.ec2-security-group-open-port-22-ingress"))
        .contains("aws_cloudtrail_security_group_change_ingress_egress");
  }

  @Test
  void sharingASnapshotRaisesTheSnapshotExfiltrationRule() {
    assertThat(fired.get("aws.exfiltration.ec2-share-ebs-snapshot"))
        .contains("aws_snapshot_backup_exfiltration");
  }

  /**
   * A limit of the SigmaHQ rule, not of the engine: it expects {@code requestParameters.attribute:
   * userData}, while Stratus's detonation records {@code {"instanceId": ..., "userData": ...}} (the
   * other request shape of ModifyInstanceAttribute). The engine matches the shape the rule
   * describes; the built-in catalogue should cover both.
   */
  @Test
  void changingUserDataIsMissedByTheSigmaHqRuleBecauseOfTheRequestShape() {
    assertThat(fired.get("aws.execution.ec2-user-data"))
        .doesNotContain("aws_ec2_startup_script_change");
    SigmaRule rule =
        rules.rules().stream()
            .filter(r -> r.source().endsWith("aws_ec2_startup_script_change.yml"))
            .findFirst()
            .orElseThrow();
    assertThat(
            rule.matches(
                CloudTrailRecords.view(
                    """
                    {"eventID": "e", "eventName": "ModifyInstanceAttribute", "eventSource": "ec2.amazonaws.com",
                     "requestParameters": {"instanceId": "i-1", "attribute": "userData"}}
                    """)))
        .isTrue();
  }

  @Test
  void ssmSendCommandRaisesTheSsmRule() {
    assertThat(fired.get("aws.execution.ssm-send-command"))
        .contains("aws_cloudtrail_ssm_malicious_usage");
    assertThat(fired.get("aws.credential-access.ec2-steal-instance-credentials"))
        .contains("aws_cloudtrail_ssm_malicious_usage");
  }

  @Test
  void consoleLoginWithoutMfaRaisesTheMfaRuleDespiteTheCaseDifference() {
    // CloudTrail writes "MFAUsed": "No"; the rule says 'NO'.
    assertThat(fired.get("aws.initial-access.console-login-without-mfa"))
        .contains("aws_cloudtrail_console_login_success_without_mfa");
  }

  @Test
  void backdooringAUserRaisesTheAccessKeyRule() {
    assertThat(fired.get("aws.persistence.iam-backdoor-user"))
        .contains("aws_iam_backdoor_users_keys");
  }

  @Test
  void updatingAnotherUsersLoginProfileRaisesTheFieldrefRule() {
    assertThat(fired.get("aws.privilege-escalation.iam-update-user-login-profile"))
        .contains("aws_update_login_profile");
  }

  @Test
  void attachingALambdaLayerRaisesTheLayerRule() {
    assertThat(fired.get("aws.persistence.lambda-layer-extension"))
        .contains("aws_new_lambda_layer_attached");
  }

  @Test
  void techniquesNoSigmaHqRuleTargetsStaySilentOnThoseRules() {
    // Reading secrets or invoking a model is not what the disable-logging rule is about.
    assertThat(fired.get("aws.credential-access.secretsmanager-retrieve-secrets"))
        .doesNotContain("aws_cloudtrail_disable_logging");
    assertThat(fired.get("aws.impact.bedrock-invoke-model"))
        .doesNotContain("aws_cloudtrail_disable_logging", "aws_snapshot_backup_exfiltration");
  }

  @Test
  void theIndexedRuleSetAgreesWithEvaluatingEveryRule() throws IOException {
    Path logs = TestData.path("stratus_red_team/docs/detonation-logs");
    try (Stream<Path> list = Files.list(logs)) {
      for (Path file : list.filter(p -> p.toString().endsWith(".json")).toList()) {
        for (CloudTrailEvent event : CloudTrailRecords.readFile(file)) {
          CloudTrailEventView view = new CloudTrailEventView(event);
          List<SigmaRule> everyRule = rules.rules().stream().filter(r -> r.matches(view)).toList();
          assertThat(rules.matching(new CloudTrailEventView(event)))
              .as(event.getEventName())
              .containsExactlyElementsOf(everyRule);
        }
      }
    }
  }
}
