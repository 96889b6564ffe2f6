package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testkit.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code vigil scan} and {@code vigil rules}, run in this JVM on the public corpora in the
 * repository's {@code testdata/} (real CloudTrail recorded while attack techniques ran, and a lab
 * account's traffic) and on the rule tests in {@code examples/rule-tests}.
 */
class ScanCommandTest {

  static final Path STRATUS = TestData.path("stratus_red_team/docs/detonation-logs");
  static final Path INVICTUS = TestData.path("invictus_aws_dataset/CloudTrail");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int vigil(String... args) {
    return VigilCommand.execute(
        args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private List<JsonNode> alerts() throws Exception {
    return out.toString()
        .lines()
        .filter(l -> !l.isBlank())
        .map(
            l -> {
              try {
                return JSON.readTree(l);
              } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + l, e);
              }
            })
        .toList();
  }

  private Set<String> ruleIds() throws Exception {
    return alerts().stream().map(a -> a.get("rule_id").asText()).collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0} raises {1}")
  @CsvSource({
    "aws.defense-evasion.cloudtrail-stop, aws-cloudtrail-logging-disabled",
    "aws.defense-evasion.cloudtrail-delete, aws-cloudtrail-logging-disabled",
    "aws.defense-evasion.cloudtrail-event-selectors, aws-cloudtrail-config-change",
    "aws.defense-evasion.organizations-leave, aws-organizations-change",
    "aws.exfiltration.ec2-security-group-open-port-22-ingress, aws-security-group-open-to-world",
    "aws.initial-access.console-login-without-mfa, aws-console-login-without-mfa",
    "aws.persistence.iam-create-admin-user, aws-iam-policy-change",
    "aws.credential-access.ec2-get-password-data, aws-unauthorized-api-calls",
    "aws.defense-evasion.vpc-remove-flow-logs, aws-log-source-deleted",
    "aws.defense-evasion.dns-delete-logs, aws-log-source-deleted",
    "aws.execution.ec2-user-data, aws-ec2-user-data-changed",
    "aws.persistence.sts-federation-token, aws-sts-federation-token",
    "aws.persistence.rolesanywhere-create-trust-anchor, aws-identity-provider-added",
    "aws.persistence.iam-backdoor-user, aws-iam-credentials-for-another-user",
    "aws.persistence.iam-create-user-login-profile, aws-iam-credentials-for-another-user",
    "aws.privilege-escalation.iam-update-user-login-profile, aws-iam-credentials-for-another-user",
    "aws.persistence.lambda-backdoor-function, aws-lambda-public-permission",
    "aws.credential-access.secretsmanager-retrieve-secrets, aws-secrets-read-burst",
    "aws.credential-access.secretsmanager-batch-retrieve-secrets, aws-secrets-bulk-retrieval",
    "aws.exfiltration.ec2-share-ebs-snapshot, aws-storage-shared-outside",
    "aws.exfiltration.ec2-share-ami, aws-storage-shared-outside",
    "aws.exfiltration.rds-share-snapshot, aws-storage-shared-outside",
    "aws.persistence.iam-backdoor-role, aws-role-trusts-outside-account",
    "aws.execution.ec2-launch-unusual-instances, aws-ec2-unusual-instance-launch"
  })
  void stratusRedTeamTechniqueRaisesTheCatalogueAlertItShould(String technique, String ruleId)
      throws Exception {
    assertThat(vigil("scan", STRATUS.resolve(technique + ".json").toString())).isZero();
    assertThat(ruleIds()).contains(ruleId);
    assertThat(err.toString()).contains("0 rejected");
  }

  @Test
  void alertLinesCarryTheAlertFieldsInSnakeCase() throws Exception {
    assertThat(
            vigil("scan", STRATUS.resolve("aws.defense-evasion.cloudtrail-stop.json").toString()))
        .isZero();
    JsonNode alert =
        alerts().stream()
            .filter(a -> a.get("rule_id").asText().equals("aws-cloudtrail-logging-disabled"))
            .findFirst()
            .orElseThrow();
    assertThat(alert.get("severity").asText()).isEqualTo("critical");
    assertThat(alert.get("rule_author").asText()).isEqualTo("Vigil");
    assertThat(alert.get("event_ids")).isNotEmpty();
    assertThat(alert.get("compliance").toString()).contains("CIS-AWS 4.5");
    assertThat(alert.get("first_seen").asText()).endsWith("Z");
  }

  @Test
  void ocsfAndAsffFormatsRenderTheSameAlerts() throws Exception {
    String file = STRATUS.resolve("aws.defense-evasion.cloudtrail-stop.json").toString();
    assertThat(vigil("scan", "--format", "ocsf", file)).isZero();
    JsonNode ocsf = alerts().get(0);
    assertThat(ocsf.get("class_uid").asInt()).isEqualTo(2004);
    assertThat(ocsf.at("/finding_info/analytic/uid").asText()).startsWith("aws-");
    out.getBuffer().setLength(0);
    assertThat(vigil("scan", "--format", "asff", file)).isZero();
    JsonNode asff = alerts().get(0);
    assertThat(asff.get("SchemaVersion").asText()).isEqualTo("2018-10-08");
    assertThat(asff.get("Title").asText()).isNotBlank();
    assertThat(vigil("scan", "--format", "xml", file)).isEqualTo(2);
  }

  @Test
  void invictusBackgroundTrafficScansWithoutRejectionsAndASummary() throws Exception {
    assertThat(vigil("scan", INVICTUS.toString())).isZero();
    assertThat(err.toString()).contains("2900 records").contains(" 0 rejected");
    assertThat(ruleIds())
        .contains("aws-cloudtrail-logging-disabled", "aws-security-group-open-to-world");
  }

  @Test
  void eachAlertIsPrintedOnceInItsFinalStateUnlessUpdatesAreAsked() throws Exception {
    String invictus = INVICTUS.toString();
    assertThat(vigil("scan", "--updates", invictus)).isZero();
    List<JsonNode> publications = alerts();
    Map<String, JsonNode> last = new java.util.LinkedHashMap<>();
    publications.forEach(a -> last.put(a.get("dedup_key").asText(), a));
    // The corpus has alerts that are updated, so the two modes differ.
    assertThat(publications.size()).isGreaterThan(last.size());
    assertThat(err.toString()).contains(publications.size() + " alert publications");

    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    assertThat(vigil("scan", invictus)).isZero();
    List<JsonNode> finals = alerts();
    assertThat(finals)
        .extracting(a -> a.get("dedup_key").asText())
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(last.keySet());
    assertThat(finals)
        .allSatisfy(a -> assertThat(a).isEqualTo(last.get(a.get("dedup_key").asText())));
    assertThat(err.toString())
        .contains(finals.size() + " alerts (" + publications.size() + " publications)");
  }

  @Test
  void badInputIsReportedWithItsLocationAndTheScanStillCompletes(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("mixed.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            Files.readString(STRATUS.resolve("aws.defense-evasion.cloudtrail-stop.json"))
                .replaceAll("\\s*\\n\\s*", "")
                .replaceFirst("^\\[", "")
                .replaceFirst("]$", "")
                .replace("},{\"", "}\n{\"")
                .lines()
                .findFirst()
                .orElseThrow(),
            "{not json",
            "{\"eventTime\": \"yesterday\"}"));
    assertThat(vigil("scan", file.toString())).isZero();
    assertThat(err.toString())
        .contains("rejected file:")
        .contains("#line=2")
        .contains("#line=3")
        .contains("2 rejected");
  }

  @Test
  void missingPathIsAUsageError() {
    assertThat(vigil("scan", "no/such/dir")).isEqualTo(2);
    assertThat(err.toString()).contains("no/such/dir");
  }

  @Test
  void brokenUserRuleStopsTheScanNamingFileAndLine(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("broken.yml"),
        String.join(
            "\n",
            "title: Broken",
            "id: my-broken-rule",
            "logsource: {product: aws, service: cloudtrail}",
            "detection:",
            "  sel:",
            "    eventName|startwith: Stop",
            "  condition: sel",
            ""));
    assertThat(
            vigil(
                "scan",
                "--rules",
                dir.toString(),
                STRATUS.resolve("aws.defense-evasion.cloudtrail-stop.json").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("broken.yml").contains("startwith");
  }

  @Test
  void userRuleWithABuiltInIdReplacesIt(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("quiet.yml"),
        String.join(
            "\n",
            "title: Only DeleteTrail",
            "id: aws-cloudtrail-logging-disabled",
            "author: Local team",
            "level: low",
            "logsource: {product: aws, service: cloudtrail}",
            "detection:",
            "  sel:",
            "    eventName: DeleteTrail",
            "  condition: sel",
            ""));
    assertThat(
            vigil(
                "scan",
                "--rules",
                dir.toString(),
                STRATUS.resolve("aws.defense-evasion.cloudtrail-stop.json").toString()))
        .isZero();
    assertThat(ruleIds()).doesNotContain("aws-cloudtrail-logging-disabled");
  }

  @Test
  void rulesListShowsTheWholeDesignCatalogue() throws Exception {
    assertThat(vigil("rules", "list")).isZero();
    List<String> catalogue =
        Arrays.asList(
            "aws-root-account-usage",
            "aws-unauthorized-api-calls",
            "aws-console-login-without-mfa",
            "aws-iam-policy-change",
            "aws-cloudtrail-logging-disabled",
            "aws-cloudtrail-config-change",
            "aws-console-brute-force",
            "aws-kms-key-disabled-or-deleted",
            "aws-s3-bucket-policy-change",
            "aws-s3-bucket-public",
            "aws-s3-encryption-removed",
            "aws-config-change",
            "aws-security-group-change",
            "aws-security-group-open-to-world",
            "aws-nacl-change",
            "aws-network-gateway-change",
            "aws-route-table-change",
            "aws-vpc-change",
            "aws-organizations-change",
            "aws-security-service-disabled",
            "aws-phi-bucket-access",
            "aws-threat-intel-source-ip",
            "vpc-port-scan",
            "vpc-remote-admin-from-internet",
            "vpc-data-exfiltration",
            "vpc-threat-intel-match");
    Set<String> listed =
        out.toString().lines().map(l -> l.split("\\s+")[0]).collect(Collectors.toSet());
    assertThat(listed).containsAll(catalogue);
    // The SigmaHQ pack's rules that are off, each with why.
    assertThat(out.toString())
        .containsPattern(
            "8ad1600d-e9dc-4251-b0ee-a65268f29add\\s+off\\s+same as aws-root-account-usage");
    assertThat(err.toString()).contains("0 load errors").containsPattern("[1-9]\\d* off");
  }

  @Test
  void ruleTestsOfEveryCorrelationPass() {
    assertThat(vigil("rules", "test", Path.of("..", "examples", "rule-tests").toString())).isZero();
    assertThat(out.toString()).contains("5 passed, 0 failed").doesNotContain("FAIL");
  }

  @Test
  void ruleTestThatExpectsTheWrongThingFails(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("wrong.yml"),
        Files.readString(Path.of("..", "examples", "rule-tests", "aws-unauthorized-api-calls.yml"))
            .replace("count: 10", "count: 11"));
    assertThat(vigil("rules", "test", dir.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("FAIL").contains("count 11");
  }
}
