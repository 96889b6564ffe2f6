package io.vigil.app.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SourceType;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.testkit.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Conformance of Vigil's built-in catalogue with Panther's labelled CloudTrail rule tests ({@code
 * testdata/panther_cloudtrail_tests.jsonl}, Apache-2.0; data and labels only, no Panther detection
 * code is used or ported).
 *
 * <p><b>The mapping.</b> {@link #MAPPINGS} pairs a Panther rule with the catalogue rule whose
 * meaning matches it, each with a one-line reason. Three relations are used:
 *
 * <ul>
 *   <li>{@link Relation#SAME}: both rules mean the same thing (mostly the CIS AWS Foundations
 *       "Monitoring" events, which Panther and Vigil both follow);
 *   <li>{@link Relation#NARROWER}: Panther's rule is one case of the catalogue rule (a root console
 *       sign-in is root usage; leaving the organisation is an organisation change), so every
 *       Panther positive should raise the catalogue rule;
 *   <li>{@link Relation#COUNTED}: Panther's rule is the single event that a catalogue correlation
 *       counts (Vigil's threshold applies across events, so the test checks that the event is
 *       counted, i.e. that the engine emits a correlation hit for it).
 * </ul>
 *
 * A mapping may have a {@link Scope}: {@code AWS.CloudTrail.ResourceMadePublic} covers many
 * resource types, of which only S3 bucket policies and ACLs are in the meaning of {@code
 * aws-s3-bucket-public}; its other tests are out of scope and not checked. Panther rules that look
 * related but whose meaning does not match are listed in {@link #NOT_MAPPED} with the reason.
 *
 * <p><b>The check.</b> For every in-scope labelled test of a mapped rule the {@code log} is decoded
 * by Vigil's own decoder and evaluated by the detection engine with every built-in rule loaded (the
 * PHI and threat-intel placeholders empty). The catalogue rule must fire exactly when Panther's
 * label says the Panther rule fires, except for the cases in {@link #DISAGREEMENTS}. That list is
 * exact: a listed case that starts agreeing fails (the list must not rot), and an unlisted
 * disagreement fails.
 *
 * <p><b>The deliberate disagreements</b> come from a few differences of meaning, where the
 * catalogue (the built-in catalogue of {@code docs/rules.md}) wins:
 *
 * <ul>
 *   <li>Failed calls: Panther drops events with an {@code errorCode}. The catalogue follows the CIS
 *       metric-filter patterns, which have no outcome condition: an attempt to stop CloudTrail,
 *       change an IAM policy or a network control is reported whether or not AWS allowed it (an
 *       attempt by a principal that lacks the permission is itself the signal). The two S3 rules
 *       that state an outcome ({@code aws-s3-bucket-public}: "S3 bucket made public", {@code
 *       aws-s3-encryption-removed}: "encryption configuration was deleted") are not CIS patterns; a
 *       refused request does neither, so they ignore events with an {@code errorCode} and agree
 *       with Panther there (this test found them firing on refused requests; the rules were fixed).
 *   <li>Root: CIS 1.7 / 4.3 (CloudWatch.1) counts every root action that is not made by an AWS
 *       service on the root's behalf, read-only and failed ones included; Panther ignores read-only
 *       and failed root calls. Conversely the CIS pattern excludes every event with {@code
 *       userIdentity.invokedBy}, so a root call recorded as invoked by {@code signin.amazonaws.com}
 *       is not counted where Panther's root-key rule fires.
 *   <li>Console sign-in without MFA: CloudWatch.3 is about IAM users only (root sign-in is {@code
 *       aws-root-account-usage}'s), and counts SAML and first sign-ins too; Panther's rule includes
 *       root and uses state (a cache of new users) that a single-event check cannot have.
 *   <li>Public bucket policy: the catalogue's definition is "an Allow statement with Principal *";
 *       it does not evaluate {@code Condition} blocks as Panther does.
 *   <li>Counted events: the CIS patterns count every denied call and key failed sign-ins on {@code
 *       errorMessage} "Failed authentication"; Panther's rules exclude calls from AWS service
 *       hostnames and key failed sign-ins on {@code responseElements.ConsoleLogin}.
 *   <li>Config: Vigil's {@code aws-config-change} follows CIS 4.9, which counts setting up and
 *       tearing down the recorder and delivery channel alike; Panther splits the two into {@code
 *       AWS.ConfigService.Created} and {@code AWS.ConfigService.DisabledDeleted}.
 * </ul>
 *
 * Each listed case carries its own reason. The test prints a summary and checks that {@code
 * docs/conformance.md} (the mapping table, the disagreements and the rules not mapped) is current.
 */
class PantherConformanceTest {

  static final String PANTHER_TESTS = "panther_cloudtrail_tests.jsonl";
  static final Path DOC = Path.of("..", "docs", "conformance.md");
  static final String FIXTURE_TIME = "2019-01-01T00:00:00Z";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a Panther rule's meaning relates to the catalogue rule's. */
  enum Relation {
    SAME("same meaning"),
    NARROWER("Panther's rule is one case of Vigil's"),
    COUNTED("the single event Vigil's correlation counts");

    final String text;

    Relation(String text) {
      this.text = text;
    }
  }

  /** Which of a Panther rule's tests are inside the shared meaning. */
  record Scope(String description, Predicate<JsonNode> includes) {
    static final Scope ALL = new Scope("all tests", log -> true);
  }

  record Mapping(String pantherRule, String vigilRule, Relation relation, Scope scope, String why) {
    Mapping(String pantherRule, String vigilRule, Relation relation, String why) {
      this(pantherRule, vigilRule, relation, Scope.ALL, why);
    }
  }

  static final Scope S3_BUCKET_POLICY_OR_ACL =
      new Scope(
          "S3 PutBucketPolicy / PutBucketAcl tests only (the other resource types are outside the"
              + " meaning)",
          log ->
              "s3.amazonaws.com".equals(log.path("eventSource").asText())
                  && Set.of("PutBucketPolicy", "PutBucketAcl")
                      .contains(log.path("eventName").asText()));

  static final List<Mapping> MAPPINGS =
      List.of(
          new Mapping(
              "AWS.Root.Activity",
              "aws-root-account-usage",
              Relation.SAME,
              "Both report activity of the root user (CIS 1.7 / CloudWatch.1)."),
          new Mapping(
              "AWS.Console.RootLogin",
              "aws-root-account-usage",
              Relation.NARROWER,
              "A root console sign-in is root usage."),
          new Mapping(
              "AWS.CloudTrail.RootAccessKeyCreated",
              "aws-root-account-usage",
              Relation.NARROWER,
              "Creating an access key as root is root usage."),
          new Mapping(
              "AWS.CloudTrail.RootPasswordChanged",
              "aws-root-account-usage",
              Relation.NARROWER,
              "Changing the root password is root usage."),
          new Mapping(
              "AWS.Console.LoginWithoutMFA",
              "aws-console-login-without-mfa",
              Relation.SAME,
              "Both report a successful console sign-in without MFA (CloudWatch.3)."),
          new Mapping(
              "AWS.CloudTrail.Stopped",
              "aws-cloudtrail-logging-disabled",
              Relation.SAME,
              "Both report CloudTrail logging stopped or the trail deleted (CloudWatch.5)."),
          new Mapping(
              "AWS.CloudTrail.Created",
              "aws-cloudtrail-config-change",
              Relation.SAME,
              "Both report a trail created, updated or started (CloudWatch.5)."),
          new Mapping(
              "AWS.ConfigService.DisabledDeleted",
              "aws-config-change",
              Relation.SAME,
              "Both report the AWS Config recorder or delivery channel stopped or deleted (CIS"
                  + " 4.9)."),
          new Mapping(
              "AWS.ConfigService.Created",
              "aws-config-change",
              Relation.SAME,
              "Both report an AWS Config recorder or delivery channel put in place (CIS 4.9)."),
          new Mapping(
              "AWS.IAM.PolicyModified",
              "aws-iam-policy-change",
              Relation.SAME,
              "Both report the IAM policy changes of CIS 4.4."),
          new Mapping(
              "AWS.KMS.CustomerManagedKeyLoss",
              "aws-kms-key-disabled-or-deleted",
              Relation.SAME,
              "Both report a KMS key disabled or scheduled for deletion (CIS 4.7)."),
          new Mapping(
              "AWS.S3.BucketPolicyModified",
              "aws-s3-bucket-policy-change",
              Relation.SAME,
              "Both report the S3 bucket policy, ACL, CORS, lifecycle and replication changes of"
                  + " CIS 4.8."),
          new Mapping(
              "AWS.S3.DeleteBucketEncryption",
              "aws-s3-encryption-removed",
              Relation.SAME,
              "Both report DeleteBucketEncryption."),
          new Mapping(
              "AWS.S3.DeletePublicAccessBlock",
              "aws-s3-bucket-public",
              Relation.NARROWER,
              "Removing a bucket's public access block is one way aws-s3-bucket-public covers of"
                  + " exposing it."),
          new Mapping(
              "AWS.CloudTrail.ResourceMadePublic",
              "aws-s3-bucket-public",
              Relation.NARROWER,
              S3_BUCKET_POLICY_OR_ACL,
              "A bucket policy or ACL that grants everyone access: the S3 part of Panther's rule."),
          new Mapping(
              "AWS.EC2.SecurityGroupModified",
              "aws-security-group-change",
              Relation.SAME,
              "Both report the security-group changes of CIS 4.10."),
          new Mapping(
              "AWS.EC2.NetworkACLModified",
              "aws-nacl-change",
              Relation.SAME,
              "Both report the network ACL changes of CIS 4.11."),
          new Mapping(
              "AWS.EC2.GatewayModified",
              "aws-network-gateway-change",
              Relation.SAME,
              "Both report the network gateway changes of CIS 4.12."),
          new Mapping(
              "AWS.EC2.RouteTableModified",
              "aws-route-table-change",
              Relation.SAME,
              "Both report the route table changes of CIS 4.13."),
          new Mapping(
              "AWS.EC2.VPCModified",
              "aws-vpc-change",
              Relation.SAME,
              "Both report the VPC changes of CIS 4.14."),
          new Mapping(
              "AWS.CloudTrail.AttemptToLeaveOrg",
              "aws-organizations-change",
              Relation.NARROWER,
              "LeaveOrganization is one of the Organizations changes of CIS 4.15."),
          new Mapping(
              "AWS.CloudTrail.UnauthorizedAPICall",
              "aws-unauthorized-api-calls",
              Relation.COUNTED,
              "Both count denied API calls per principal (CloudWatch.2); thresholds differ (Panther"
                  + " 20/day, Vigil 10/5 min)."),
          new Mapping(
              "Standard.BruteForceByIP",
              "aws-console-brute-force",
              Relation.COUNTED,
              "Both count failed console sign-ins per source IP (CloudWatch.6); thresholds differ"
                  + " (Panther 20/h, Vigil 5/5 min)."));

  /** Panther rules that look related to a catalogue rule but mean something else. */
  static final Map<String, String> NOT_MAPPED =
      orderedMap(
          "AWS.CloudTrail.EventSelectorsDisabled",
          "Fires only when the selectors turn logging off; aws-cloudtrail-config-change reports"
              + " every PutEventSelectors and the catalogue has no 'selectors disabled' meaning.",
          "AWS.CloudTrail.NetworkACLPermissiveEntry",
          "A NACL entry open to the world; aws-nacl-change reports every NACL change and the"
              + " catalogue has no 'NACL open to world' rule.",
          "AWS.CloudTrail.SecurityConfigurationChange",
          "An allow-listed mix of security-relevant changes across services; no catalogue rule has"
              + " that meaning.",
          "AWS.Console.RootLoginFailed",
          "Repeated failed root sign-ins (5 in 15 min); aws-console-brute-force counts failures of"
              + " any user per source IP.",
          "AWS.IAMUser.ReconAccessDenied",
          "Denied reconnaissance calls by IAM users outside the console (15 in 10 min); a narrower,"
              + " different meaning than aws-unauthorized-api-calls.",
          "AWS.EC2.ManualSecurityGroupChange",
          "Security-group changes made by hand rather than by infrastructure-as-code tools"
              + " (user-agent heuristics).",
          "AWS.RDS.SecurityGroupIngressAuthorized",
          "RDS DB security groups, not the EC2 security groups of"
              + " aws-security-group-open-to-world.");

  record Disagreement(String pantherRule, String testName, String reason) {
    String key() {
      return pantherRule + " / " + testName;
    }
  }

  private static final String CIS_COUNTS_FAILED_CALLS =
      "Vigil follows the CIS metric-filter pattern, which has no outcome condition: the attempt is"
          + " reported even though AWS refused it (errorCode %s); Panther drops failed calls.";
  private static final String CIS_COUNTS_EVERY_ROOT_ACTION =
      "CIS 1.7 / 4.3 (CloudWatch.1) counts every root action not made by an AWS service on the"
          + " root's behalf; Panther ignores %s.";

  static final List<Disagreement> DISAGREEMENTS =
      List.of(
          // Root usage: CIS counts what Panther leaves out, and leaves out what Panther's root-key
          // rule counts.
          new Disagreement(
              "AWS.Root.Activity",
              "Root Activity - CreateServiceLinkedRole",
              CIS_COUNTS_EVERY_ROOT_ACTION.formatted("root CreateServiceLinkedRole calls")),
          new Disagreement(
              "AWS.Root.Activity",
              "Root User Failed Activity",
              CIS_COUNTS_EVERY_ROOT_ACTION.formatted(
                  "failed root sign-ins (here a failed ExternalIdPDirectoryLogin)")),
          new Disagreement(
              "AWS.Root.Activity",
              "Root Read-Only Enumeration",
              CIS_COUNTS_EVERY_ROOT_ACTION.formatted("read-only root calls (here ListAccessKeys)")),
          new Disagreement(
              "AWS.CloudTrail.RootPasswordChanged",
              "Root Password Change Failed",
              CIS_COUNTS_EVERY_ROOT_ACTION.formatted("a failed root password change")),
          new Disagreement(
              "AWS.CloudTrail.RootAccessKeyCreated",
              "Root Access Key Created",
              "The CIS pattern excludes every root event with userIdentity.invokedBy (here"
                  + " signin.amazonaws.com), so aws-root-account-usage stays silent; Panther's"
                  + " root-key rule fires on it."),
          // Console sign-in without MFA: CloudWatch.3 is about IAM users, all of them.
          new Disagreement(
              "AWS.Console.LoginWithoutMFA",
              "No MFA Login - Root User",
              "CloudWatch.3 counts IAM users only (userIdentity.type IAMUser); a root sign-in"
                  + " raises aws-root-account-usage instead."),
          new Disagreement(
              "AWS.Console.LoginWithoutMFA",
              "MFA Login - SAML",
              "CloudWatch.3 counts every IAM-user sign-in with MFAUsed != Yes; Panther leaves out"
                  + " SAML-federated sign-ins (SamlProviderArn present), leaving MFA to the"
                  + " identity provider."),
          new Disagreement(
              "AWS.Console.LoginWithoutMFA",
              "No MFA Login - New User",
              "Panther leaves out sign-ins of recently created users (an account-age lookup,"
                  + " check_account_age, mocked in this test); CloudWatch.3 has no such exception"
                  + " and a single-event rule no such state."),
          // Failed calls: the CIS patterns count attempts.
          new Disagreement(
              "AWS.CloudTrail.Stopped",
              "Error Stopping CloudTrail",
              CIS_COUNTS_FAILED_CALLS.formatted("InvalidTrailNameException")
                  + " An attempt to stop the trail is "
                  + "defense evasion in itself."),
          new Disagreement(
              "AWS.CloudTrail.Created",
              "Error Creating CloudTrail",
              CIS_COUNTS_FAILED_CALLS.formatted("CloudTrailInvalidClientTokenIdException")),
          new Disagreement(
              "AWS.ConfigService.DisabledDeleted",
              "Error Deleting Config Recorder",
              CIS_COUNTS_FAILED_CALLS.formatted("NoSuchDeliveryChannelException")),
          new Disagreement(
              "AWS.ConfigService.Created",
              "Error Creating Config Recorder Delivery Channel",
              CIS_COUNTS_FAILED_CALLS.formatted("InvalidDeliveryChannelNameException")),
          new Disagreement(
              "AWS.IAM.PolicyModified",
              "IAM Policy Change Error",
              CIS_COUNTS_FAILED_CALLS.formatted("NoSuchEntity")),
          new Disagreement(
              "AWS.KMS.CustomerManagedKeyLoss",
              "KMS Disable Key Error",
              CIS_COUNTS_FAILED_CALLS.formatted("NotFoundException")),
          new Disagreement(
              "AWS.S3.BucketPolicyModified",
              "S3 Bucket Policy Modified Error Response",
              CIS_COUNTS_FAILED_CALLS.formatted("AccessDenied")),
          new Disagreement(
              "AWS.EC2.SecurityGroupModified",
              "Error Mofidying Security Group",
              CIS_COUNTS_FAILED_CALLS.formatted("RequestExpired")),
          new Disagreement(
              "AWS.EC2.NetworkACLModified",
              "Error Modifying Network ACL",
              CIS_COUNTS_FAILED_CALLS.formatted("InvalidCharacter")),
          new Disagreement(
              "AWS.EC2.GatewayModified",
              "Error Modifying Network Gateway",
              CIS_COUNTS_FAILED_CALLS.formatted("RequestExpired")),
          new Disagreement(
              "AWS.EC2.RouteTableModified",
              "Error Modifying Route Table",
              CIS_COUNTS_FAILED_CALLS.formatted("Blocked")),
          new Disagreement(
              "AWS.EC2.VPCModified",
              "Error Modifying VPC",
              CIS_COUNTS_FAILED_CALLS.formatted("UnknownParameter")),
          // Config: CIS 4.9 is one rule for both directions.
          new Disagreement(
              "AWS.ConfigService.DisabledDeleted",
              "Config Recorder Delivery Channel Created",
              "aws-config-change follows CIS 4.9, which counts PutDeliveryChannel as well as the"
                  + " deletions; Panther reports it with AWS.ConfigService.Created instead."),
          new Disagreement(
              "AWS.ConfigService.Created",
              "Config Recorder Deleted",
              "aws-config-change follows CIS 4.9, which counts DeleteDeliveryChannel as well as the"
                  + " set-up calls; Panther reports it with AWS.ConfigService.DisabledDeleted"
                  + " instead."),
          // Counted events of correlations.
          new Disagreement(
              "AWS.CloudTrail.UnauthorizedAPICall",
              "Unauthorized API Call from Within AWS (FQDN)",
              "CloudWatch.2 counts every AccessDenied*/ *UnauthorizedOperation call; Panther leaves"
                  + " out calls whose sourceIPAddress is an AWS service hostname (here"
                  + " sqs.amazonaws.com)."),
          new Disagreement(
              "Standard.BruteForceByIP",
              "AWS.CloudTrail - Failed Login",
              "CloudWatch.6 keys a failed sign-in on errorMessage \"Failed authentication\", which"
                  + " real CloudTrail records carry; Panther's fixture has only"
                  + " responseElements.ConsoleLogin \"Failure\", so Vigil does not count it."));

  /** One labelled Panther test of a mapped rule, with Vigil's verdict. */
  record Case(
      Mapping mapping,
      String testName,
      boolean pantherFires,
      boolean vigilFires,
      String completed,
      String problem) {
    String key() {
      return mapping.pantherRule() + " / " + testName;
    }

    boolean agrees() {
      return problem == null && pantherFires == vigilFires;
    }
  }

  static List<JsonNode> pantherTests;
  static List<Case> cases;
  static Map<String, Disagreement> disagreements;

  @BeforeAll
  static void evaluateEveryMappedPantherTest() throws IOException {
    pantherTests = new ArrayList<>();
    for (String line : Files.readAllLines(TestData.path(PANTHER_TESTS), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        pantherTests.add(JSON.readTree(line));
      }
    }
    DetectionEngine engine =
        DetectionEngine.load(
            DetectionSettings.DEFAULTS.withPlaceholders(
                Map.of(
                    "phi.buckets",
                    List.of(),
                    "phi.allowed_principals",
                    List.of(),
                    "threat_intel.cidrs",
                    List.of())));
    for (Mapping m : MAPPINGS) {
      assertThat(engine.info(m.vigilRule())).as("catalogue rule %s", m.vigilRule()).isPresent();
    }
    cases = new ArrayList<>();
    for (Mapping m : MAPPINGS) {
      for (JsonNode t : pantherTests) {
        if (t.path("rule_id").asText().equals(m.pantherRule())
            && m.scope().includes().test(t.path("log"))) {
          cases.add(evaluate(engine, m, t));
        }
      }
    }
    disagreements = new LinkedHashMap<>();
    for (Disagreement d : DISAGREEMENTS) {
      assertThat(disagreements.put(d.key(), d)).as("listed twice: %s", d.key()).isNull();
    }
  }

  private static Case evaluate(DetectionEngine engine, Mapping m, JsonNode test)
      throws IOException {
    String name = test.path("test_name").asText();
    boolean expected = test.path("expected_result").asBoolean();
    ObjectNode log = test.path("log").deepCopy();
    String completed = completeEnvelope(log);
    byte[] line = JSON.writeValueAsBytes(log);
    List<CloudTrailEvent> events = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    new AwsLogDecoder()
        .decode(
            new ByteArrayInputStream(line),
            new SourceRef(SourceType.file, "panther:" + name),
            new DecodeListener() {
              @Override
              public void cloudTrail(CloudTrailEvent event, String position) {
                events.add(event);
              }

              @Override
              public void flow(FlowRecord record, String position) {
                problems.add("decoded as a flow record");
              }

              @Override
              public void rejected(Rejected rejected) {
                problems.add(
                    "rejected by the decoder: "
                        + rejected.getReason()
                        + ": "
                        + rejected.getMessage());
              }
            });
    if (events.size() != 1 || !problems.isEmpty()) {
      return new Case(m, name, expected, false, completed, events.size() + " events; " + problems);
    }
    DetectionEngine.Evaluation evaluation = engine.evaluate(events.get(0));
    boolean fires =
        m.relation() == Relation.COUNTED
            ? evaluation.hits().stream().anyMatch(h -> h.getCorrelationId().equals(m.vigilRule()))
            : evaluation.matches().stream().anyMatch(r -> r.getRuleId().equals(m.vigilRule()));
    return new Case(m, name, expected, fires, completed, null);
  }

  /**
   * Panther's fixtures are cut down to what its rules read, and some have the envelope redacted
   * ({@code "eventTime": "redacted"}) or in another format ({@code "2022-03-16 19:17:41"}). Vigil's
   * decoder rightly rejects such a record as not a CloudTrail event, so the harness fills in the
   * envelope fields the decoder requires, {@code eventID} and {@code eventTime}, when they are
   * missing or not in CloudTrail's format. No mapped rule reads either field. Returns what was
   * filled in, or null.
   */
  static String completeEnvelope(ObjectNode log) {
    List<String> filled = new ArrayList<>();
    String id = log.path("eventID").asText("");
    if (id.isBlank() || id.equals("redacted")) {
      filled.add("eventID " + (log.has("eventID") ? "'" + id + "'" : "missing"));
      log.put("eventID", "panther-fixture");
    }
    String time = log.path("eventTime").asText("");
    try {
      Instant.parse(time);
    } catch (DateTimeParseException e) {
      filled.add("eventTime " + (log.has("eventTime") ? "'" + time + "'" : "missing"));
      log.put("eventTime", FIXTURE_TIME);
    }
    return filled.isEmpty() ? null : String.join(", ", filled);
  }

  @TestFactory
  Stream<DynamicNode> vigilRuleFiresExactlyWhenPantherLabelSaysSoExceptDocumentedDisagreements() {
    return MAPPINGS.stream()
        .map(
            m ->
                dynamicContainer(
                    m.pantherRule() + " -> " + m.vigilRule(),
                    cases.stream()
                        .filter(c -> c.mapping() == m)
                        .map(
                            c -> {
                              Disagreement listed = disagreements.get(c.key());
                              String name =
                                  c.testName()
                                      + " (Panther: "
                                      + (c.pantherFires() ? "fires" : "silent")
                                      + ")"
                                      + (listed != null ? " [documented disagreement]" : "");
                              return dynamicTest(
                                  name,
                                  () -> {
                                    assertThat(c.problem()).as("decoding %s", c.key()).isNull();
                                    if (listed == null) {
                                      assertThat(c.vigilFires())
                                          .as(
                                              "undocumented disagreement: %s %s on Panther test"
                                                  + " '%s', labelled %s",
                                              m.vigilRule(),
                                              c.vigilFires() ? "fires" : "is silent",
                                              c.key(),
                                              c.pantherFires() ? "fires" : "silent")
                                          .isEqualTo(c.pantherFires());
                                    } else {
                                      assertThat(c.vigilFires())
                                          .as(
                                              "documented disagreement '%s' no longer disagrees:"
                                                  + " remove it from the list",
                                              c.key())
                                          .isNotEqualTo(c.pantherFires());
                                    }
                                  });
                            })));
  }

  @Test
  void everyDocumentedDisagreementNamesOneCheckedPantherTest() {
    Map<String, Long> checked =
        cases.stream().collect(Collectors.groupingBy(Case::key, Collectors.counting()));
    assertThat(checked.values())
        .as("Panther test names are unique within a rule")
        .allMatch(n -> n == 1);
    assertThat(checked.keySet()).containsAll(disagreements.keySet());
    assertThat(disagreements.values()).allMatch(d -> !d.reason().isBlank());
  }

  @Test
  void everyMappedAndConsideredPantherRuleHasLabelledTests() {
    Set<String> rules =
        pantherTests.stream().map(t -> t.path("rule_id").asText()).collect(Collectors.toSet());
    assertThat(rules).containsAll(MAPPINGS.stream().map(Mapping::pantherRule).toList());
    assertThat(rules).containsAll(NOT_MAPPED.keySet());
    for (Mapping m : MAPPINGS) {
      assertThat(cases)
          .as("tests in scope for %s", m.pantherRule())
          .anyMatch(c -> c.mapping() == m);
    }
  }

  /**
   * docs/conformance.md is generated from this test's tables; the test checks it is current rather
   * than writing into the checkout. Regenerate with {@code -Dvigil.conformance.write=true}.
   */
  @Test
  void docsConformanceMatchesTheMappingAndTheResults() throws IOException {
    String doc = document();
    System.out.println(summary());
    GeneratedDoc.assertCurrent(DOC, doc, PantherConformanceTest.class);
  }

  private static String summary() {
    long agree = cases.stream().filter(Case::agrees).count();
    long documented =
        cases.stream().filter(c -> disagreements.containsKey(c.key()) && !c.agrees()).count();
    long mappedTests =
        pantherTests.stream()
            .filter(
                t ->
                    MAPPINGS.stream()
                        .anyMatch(m -> m.pantherRule().equals(t.path("rule_id").asText())))
            .count();
    return "Panther conformance: "
        + MAPPINGS.size()
        + " Panther rules mapped to "
        + MAPPINGS.stream().map(Mapping::vigilRule).distinct().count()
        + " catalogue rules; "
        + cases.size()
        + " labelled tests checked ("
        + (mappedTests - cases.size())
        + " out of scope); "
        + agree
        + " agree; "
        + documented
        + " documented disagreements; "
        + (cases.size() - agree - documented)
        + " unexplained.";
  }

  private static String document() {
    StringBuilder md = new StringBuilder();
    md.append("# Conformance with Panther's labelled CloudTrail tests\n\n")
        .append(
            "<!-- Generated by"
                + " app/src/test/java/io/vigil/app/conformance/PantherConformanceTest.java; ")
        .append("edit the test, not this file. -->\n\n")
        .append(
            "Panther publishes labelled single-event tests for its AWS rules (Apache-2.0; a copy is"
                + " in ")
        .append(
            "`testdata/panther_cloudtrail_tests.jsonl`). For every Panther rule whose meaning"
                + " matches ")
        .append(
            "a rule of Vigil's built-in catalogue, `PantherConformanceTest` decodes each test's"
                + " event with ")
        .append(
            "Vigil's decoder, runs it through the detection engine with every built-in rule loaded,"
                + " and checks ")
        .append(
            "that the catalogue rule fires exactly when Panther's label says Panther's rule fires."
                + " Where the ")
        .append(
            "two differ on purpose the case is listed below with the reason; any other difference"
                + " fails the ")
        .append(
            "build, and so does a listed case that stops differing. Where the catalogue"
                + " ([rules.md](rules.md), ")
        .append(
            "largely the CIS AWS Foundations patterns) fixes a meaning, it wins. The CIS patterns"
                + " count ")
        .append(
            "attempts whatever their outcome, so most disagreements are failed calls that Panther"
                + " drops and ")
        .append("Vigil reports.\n\n")
        .append(summary())
        .append("\n\n")
        .append(
            "Relations: *same meaning*; *Panther's rule is one case of Vigil's* (every Panther"
                + " positive must ")
        .append(
            "raise Vigil's rule); *the single event Vigil's correlation counts* (Vigil's threshold"
                + " applies ")
        .append("across events, so the check is that the event is counted).\n\n")
        .append("## Mapping\n\n")
        .append(
            "| Panther rule | Vigil rule | relation | tests | agree | documented disagreements |"
                + " why |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Mapping m : MAPPINGS) {
      List<Case> mine = cases.stream().filter(c -> c.mapping() == m).toList();
      String why =
          m.why() + (m.scope() == Scope.ALL ? "" : " Scope: " + m.scope().description() + ".");
      md.append("| `")
          .append(m.pantherRule())
          .append("` | `")
          .append(m.vigilRule())
          .append("` | ")
          .append(m.relation().text)
          .append(" | ")
          .append(mine.size())
          .append(" | ")
          .append(mine.stream().filter(Case::agrees).count())
          .append(" | ")
          .append(mine.stream().filter(c -> disagreements.containsKey(c.key())).count())
          .append(" | ")
          .append(cell(why))
          .append(" |\n");
    }
    md.append("\n## Documented disagreements\n\n")
        .append("| Panther rule | Panther test | Panther | Vigil | why |\n|---|---|---|---|---|\n");
    for (Disagreement d : DISAGREEMENTS) {
      Case c = cases.stream().filter(x -> x.key().equals(d.key())).findFirst().orElse(null);
      if (c == null) {
        continue; // named no checked test: everyDocumentedDisagreementNamesOneCheckedPantherTest
        // fails
      }
      md.append("| `")
          .append(d.pantherRule())
          .append("` | ")
          .append(cell(d.testName()))
          .append(" | ")
          .append(c.pantherFires() ? "fires" : "silent")
          .append(" | ")
          .append(c.vigilFires() ? "`" + c.mapping().vigilRule() + "` fires" : "silent")
          .append(" | ")
          .append(cell(d.reason()))
          .append(" |\n");
    }
    md.append("\n## Fixtures completed before decoding\n\n")
        .append(
            "Panther's fixtures are cut down to what its rules read, and some have the envelope"
                + " redacted. ")
        .append(
            "Vigil's decoder rejects a record without a valid `eventID` and ISO-8601 `eventTime` as"
                + " not a ")
        .append(
            "CloudTrail event, so the test fills those two fields in (no mapped rule reads them)"
                + " for:\n\n");
    cases.stream()
        .filter(c -> c.completed() != null)
        .forEach(
            c ->
                md.append("- `")
                    .append(c.mapping().pantherRule())
                    .append("` / ")
                    .append(c.testName())
                    .append(": ")
                    .append(c.completed())
                    .append("\n"));
    md.append("\n## Considered and not mapped\n\n| Panther rule | why not |\n|---|---|\n");
    NOT_MAPPED.forEach(
        (rule, why) ->
            md.append("| `").append(rule).append("` | ").append(cell(why)).append(" |\n"));
    md.append(
            "\n"
                + "No Panther CloudTrail rule in the corpus means"
                + " `aws-security-group-open-to-world` (ingress from ")
        .append(
            "0.0.0.0/0 or ::/0) or `aws-security-service-disabled` (GuardDuty, Security Hub or"
                + " Access ")
        .append(
            "Analyzer turned off); those catalogue rules are checked by Vigil's own catalogue tests"
                + " ")
        .append("instead. The PHI and threat-intel rules depend on configuration and ")
        .append("have no Panther counterpart.\n\n")
        .append("Rerun: `./mvnw -B -q -pl app -am test -Dtest=PantherConformanceTest ")
        .append(
            "-Dsurefire.failIfNoSpecifiedTests=false -Dvigil.conformance.write=true` (rewrites this"
                + " file).\n");
    return md.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
