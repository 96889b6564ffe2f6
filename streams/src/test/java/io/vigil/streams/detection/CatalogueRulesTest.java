package io.vigil.streams.detection;

import static io.vigil.streams.detection.TestEvents.ct;
import static io.vigil.streams.detection.TestEvents.flow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.streams.alerts.AlertSuppressor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in catalogue, rule by rule, with positive and negative cases, through the Kafka Streams
 * topology and through the scan's offline detector alike (fed events, or events evaluated
 * beforehand as the parallel scan does).
 */
class CatalogueRulesTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final DetectionSettings SETTINGS =
      DetectionSettings.DEFAULTS.withPlaceholders(
          Map.of(
              "phi.buckets", List.of("patient-records-prod"),
              "phi.allowed_principals", List.of("arn:aws:iam::111122223333:role/ehr-app"),
              "threat_intel.cidrs", List.of("203.0.113.0/24", "2001:db8:bad::/48")));
  private static final DetectionEngine ENGINE = DetectionEngine.load(SETTINGS);

  private DetectionRunner runner;

  private DetectionRunner runner(String kind) {
    return runner(kind, ENGINE, SETTINGS);
  }

  private DetectionRunner runner(String kind, DetectionEngine engine, DetectionSettings settings) {
    runner = DetectionRunner.of(kind, engine, settings);
    return runner;
  }

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private static List<String> ruleIds(List<Alert> alerts) {
    return alerts.stream().map(Alert::getRuleId).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void rootAccountUsageRaisesAnAlertWithComplianceAttackAndAuthor(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("iam.amazonaws.com", "ListUsers", T0)
            .identity("Root", "arn:aws:iam::111122223333:root")
            .build());
    List<Alert> alerts = r.alerts();
    assertThat(ruleIds(alerts)).containsExactly("aws-root-account-usage");
    Alert alert = alerts.get(0);
    assertThat(alert.getSeverity()).isEqualTo(Severity.high);
    assertThat(alert.getEntity()).isEqualTo("arn:aws:iam::111122223333:root");
    assertThat(alert.getAccountId()).isEqualTo("111122223333");
    assertThat(alert.getCompliance()).contains("CIS-AWS 1.7", "CIS-AWS 4.3");
    assertThat(alert.getAttack()).contains("T1078.004");
    assertThat(alert.getRuleAuthor()).isEqualTo("Vigil");
    assertThat(alert.getEvidence()).containsEntry("eventName", "ListUsers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void rootCallsMadeByAServiceOrAsServiceEventsAreNotRootUsage(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("s3.amazonaws.com", "GetObject", T0)
            .identity("Root", "arn:aws:iam::111122223333:root")
            .invokedBy("cloudtrail.amazonaws.com")
            .build());
    r.cloudTrail(
        ct("signin.amazonaws.com", "CredentialVerification", T0)
            .identity("Root", "arn:aws:iam::111122223333:root")
            .eventType("AwsServiceEvent")
            .build());
    assertThat(r.alerts()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void duplicateEventIdRaisesNothingMore(String kind) {
    DetectionRunner r = runner(kind);
    var event =
        ct("cloudtrail.amazonaws.com", "StopLogging", T0)
            .request("{\"name\":\"main-trail\"}")
            .build();
    r.cloudTrail(event);
    r.cloudTrail(event);
    r.flush();
    List<Alert> all = r.alerts();
    // One alert a rule, the duplicate counted by none (the scan also says, at its end, that the
    // trail was not restarted).
    assertThat(ruleIds(all)).doesNotHaveDuplicates();
    List<Alert> alerts = alertsOf(all, "aws-cloudtrail-logging-disabled");
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).getSeverity()).isEqualTo(Severity.critical);
    assertThat(alerts.get(0).getEntity()).isEqualTo("main-trail");
    assertThat(alerts.get(0).getCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void repeatedMatchesUpdateOneAlertInsteadOfRaisingNewOnes(String kind) {
    DetectionRunner r = runner(kind);
    for (int i = 0; i < 3; i++) {
      r.cloudTrail(ct("iam.amazonaws.com", "PutUserPolicy", T0.plusSeconds(i * 10)).build());
    }
    List<Alert> opened = r.alerts();
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).getCount()).isEqualTo(1);
    r.flush();
    List<Alert> updates = r.alerts();
    assertThat(updates).hasSize(1);
    assertThat(updates.get(0).getDedupKey()).isEqualTo(opened.get(0).getDedupKey());
    assertThat(updates.get(0).getCount()).isEqualTo(3);
    assertThat(updates.get(0).getUpdate()).isEqualTo(1);
    assertThat(updates.get(0).getEventIds()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"scan", "scan-pre-evaluated"})
  void aHeldBackUpdateGoesOutOnceStreamTimePassesTheUpdateIntervalNotOnlyAtTheEnd(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(ct("iam.amazonaws.com", "PutUserPolicy", T0).build());
    r.cloudTrail(ct("iam.amazonaws.com", "PutUserPolicy", T0.plusSeconds(10)).build());
    assertThat(r.alerts()).extracting(Alert::getUpdate).containsExactly(0);
    // An event no rule matches, two minutes later: the one-minute update interval has passed.
    r.cloudTrail(ct("sts.amazonaws.com", "GetCallerIdentity", T0.plusSeconds(120)).build());

    assertThat(r.alerts())
        .singleElement()
        .satisfies(
            update -> {
              assertThat(update.getUpdate()).isEqualTo(1);
              assertThat(update.getCount()).isEqualTo(2);
            });
    r.flush();
    assertThat(r.alerts()).as("nothing was left held back").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void consoleLoginWithoutMfaMatchesCloudTrailsCapitalisation(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("signin.amazonaws.com", "ConsoleLogin", T0)
            .response("{\"ConsoleLogin\":\"Success\"}")
            .additional("{\"MFAUsed\":\"No\",\"LoginTo\":\"https://console.aws.amazon.com\"}")
            .build());
    r.cloudTrail(
        ct("signin.amazonaws.com", "ConsoleLogin", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .response("{\"ConsoleLogin\":\"Success\"}")
            .additional("{\"MFAUsed\":\"Yes\"}")
            .build());
    assertThat(r.alerts())
        .extracting(Alert::getRuleId, Alert::getEntity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "aws-console-login-without-mfa", "arn:aws:iam::111122223333:user/alice"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void tenDeniedCallsByOnePrincipalWithinFiveMinutesAreUnauthorizedApiCalls(String kind) {
    DetectionRunner r = runner(kind);
    for (int i = 0; i < 9; i++) {
      r.cloudTrail(
          ct("ec2.amazonaws.com", "DescribeInstances", T0.plusSeconds(i * 20))
              .error(i % 2 == 0 ? "AccessDenied" : "Client.UnauthorizedOperation", "denied")
              .build());
    }
    assertThat(r.alerts()).as("9 denied calls are below the threshold").isEmpty();
    r.cloudTrail(
        ct("ec2.amazonaws.com", "DescribeVolumes", T0.plusSeconds(200))
            .error("AccessDeniedException", "denied")
            .build());
    List<Alert> alerts = r.alerts();
    assertThat(ruleIds(alerts)).containsExactly("aws-unauthorized-api-calls");
    assertThat(alerts.get(0).getCount()).isEqualTo(10);
    assertThat(alerts.get(0).getEntity()).isEqualTo("arn:aws:iam::111122223333:user/alice");
    assertThat(alerts.get(0).getEventIds()).hasSize(10);
    assertThat(alerts.get(0).getCompliance()).contains("PCI-DSS 10.2.1.4");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void deniedCallsSpreadOverMoreThanFiveMinutesAreNotUnauthorizedApiCalls(String kind) {
    DetectionRunner r = runner(kind);
    for (int i = 0; i < 12; i++) {
      r.cloudTrail(
          ct("ec2.amazonaws.com", "DescribeInstances", T0.plusSeconds(i * 40L))
              .error("AccessDenied", "denied")
              .build());
    }
    assertThat(r.alerts()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void failedLoginsFromOneAddressAreABruteForce(String kind) {
    DetectionRunner r = runner(kind);
    for (int i = 0; i < 5; i++) {
      r.cloudTrail(
          ct("signin.amazonaws.com", "ConsoleLogin", T0.plusSeconds(i * 30))
              .sourceIp("198.51.100.50")
              .identity("IAMUser", "arn:aws:iam::111122223333:user/u" + i)
              .error(null, "Failed authentication")
              .response("{\"ConsoleLogin\":\"Failure\"}")
              .build());
    }
    List<Alert> alerts = r.alerts();
    assertThat(ruleIds(alerts)).containsExactly("aws-console-brute-force");
    assertThat(alerts.get(0).getEntity()).isEqualTo("198.51.100.50");
  }

  private static io.vigil.schemas.CloudTrailEvent consoleLogin(
      String address, Instant at, boolean success) {
    TestEvents.CloudTrailBuilder login =
        ct("signin.amazonaws.com", "ConsoleLogin", at)
            .sourceIp(address)
            .response("{\"ConsoleLogin\":\"" + (success ? "Success" : "Failure") + "\"}");
    return (success ? login : login.error(null, "Failed authentication")).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void aSignInThatSucceedsAfterABurstOfFailuresFromItsAddressIsCritical(String kind) {
    DetectionRunner r = runner(kind);
    // 203.0.113.5: six failures, then a success. 198.51.100.9: a typo, then a success.
    // 192.0.2.44: a success first, then five failures. 192.0.2.80: five failures, no success there.
    for (int i = 0; i < 6; i++) {
      r.cloudTrail(consoleLogin("203.0.113.5", T0.plusSeconds(i * 10), false));
    }
    r.cloudTrail(consoleLogin("203.0.113.5", T0.plusSeconds(90), true));
    r.cloudTrail(consoleLogin("198.51.100.9", T0, false));
    r.cloudTrail(consoleLogin("198.51.100.9", T0.plusSeconds(20), true));
    r.cloudTrail(consoleLogin("192.0.2.44", T0, true));
    for (int i = 0; i < 5; i++) {
      r.cloudTrail(consoleLogin("192.0.2.44", T0.plusSeconds(30 + i), false));
      r.cloudTrail(consoleLogin("192.0.2.80", T0.plusSeconds(30 + i), false));
    }
    r.cloudTrail(consoleLogin("192.0.2.81", T0.plusSeconds(60), true));

    List<Alert> alerts = r.alerts();
    assertThat(alertsOf(alerts, "aws-console-login-after-brute-force"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("203.0.113.5", Severity.critical));
    // The brute force keeps its own alert; the burst and the sign-ins raise none.
    assertThat(alertsOf(alerts, "aws-console-brute-force"))
        .extracting(Alert::getEntity)
        .containsExactlyInAnyOrder("203.0.113.5", "192.0.2.44", "192.0.2.80");
    assertThat(ruleIds(alerts))
        .doesNotContain("aws-console-failure-burst", "aws-console-login-succeeded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void securityGroupOpenedToTheWholeAddressSpaceInEitherRequestShape(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", T0)
            .request(
                "{\"groupId\":\"sg-1\","
                    + "\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,"
                    + "\"ipRanges\":{\"items\":[{\"cidrIp\":\"10.0.0.0/8\"},{\"cidrIp\":\"0.0.0.0/0\"}]}}]}}")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", T0)
            .request(
                "{\"groupId\":\"sg-2\","
                    + "\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":443,\"toPort\":443,"
                    + "\"ipv6Ranges\":{\"items\":[{\"cidrIpv6\":\"::/0\"}]}}]}}")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", T0)
            .request(
                "{\"groupId\":\"sg-3\",\"cidrIp\":\"0.0.0.0/0\",\"fromPort\":3389,\"toPort\":3389,"
                    + "\"ipProtocol\":\"tcp\"}")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", T0)
            .request(
                "{\"groupId\":\"sg-4\",\"cidrIp\":\"10.0.0.0/8\",\"fromPort\":22,\"toPort\":22,\"ipProtocol\":\"tcp\"}")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", T0)
            .request(
                "{\"groupId\":\"sg-5\",\"cidrIp\":\"0.0.0.0/1\",\"fromPort\":22,\"toPort\":22,\"ipProtocol\":\"tcp\"}")
            .build());
    assertThat(r.alerts())
        .filteredOn(a -> a.getRuleId().equals("aws-security-group-open-to-world"))
        .extracting(Alert::getEntity)
        .containsExactlyInAnyOrder("sg-1", "sg-2", "sg-3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void phiBucketAccessByAnUnlistedPrincipalButNotByTheAllowedRolesSessions(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("s3.amazonaws.com", "GetObject", T0)
            .dataEvent()
            .request("{\"bucketName\":\"patient-records-prod\",\"key\":\"p/123.pdf\"}")
            .build());
    r.cloudTrail(
        ct("s3.amazonaws.com", "GetObject", T0)
            .dataEvent()
            .assumedRole(
                "arn:aws:sts::111122223333:assumed-role/ehr-app/i-0abc",
                "arn:aws:iam::111122223333:role/ehr-app")
            .request("{\"bucketName\":\"patient-records-prod\",\"key\":\"p/124.pdf\"}")
            .build());
    r.cloudTrail(
        ct("s3.amazonaws.com", "GetObject", T0)
            .dataEvent()
            .request("{\"bucketName\":\"marketing-assets\",\"key\":\"logo.png\"}")
            .build());
    assertThat(r.alerts())
        .extracting(Alert::getRuleId, Alert::getEntity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "aws-phi-bucket-access", "arn:aws:iam::111122223333:user/alice"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void bucketMadePublicByPolicyAclOrRemovedBlock(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("s3.amazonaws.com", "PutBucketPolicy", T0)
            .request(
                "{\"bucketName\":\"b1\",\"bucketPolicy\":"
                    + "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                    + "\"Action\":\"s3:GetObject\"}]}}")
            .build());
    r.cloudTrail(
        ct("s3.amazonaws.com", "PutBucketPolicy", T0)
            .request(
                "{\"bucketName\":\"b2\",\"bucketPolicy\":"
                    + "{\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"}}]}}")
            .build());
    r.cloudTrail(
        ct("s3.amazonaws.com", "PutBucketAcl", T0)
            .request(
                "{\"bucketName\":\"b3\",\"AccessControlPolicy\":"
                    + "{\"AccessControlList\":{\"Grant\":[{\"Grantee\":{\"URI\":\"http://acs.amazonaws.com/groups/global/AllUsers\"},"
                    + "\"Permission\":\"READ\"}]}}}")
            .build());
    r.cloudTrail(
        ct("s3.amazonaws.com", "DeleteBucketPublicAccessBlock", T0)
            .request("{\"bucketName\":\"b4\"}")
            .build());
    // Everyone, but only through one VPC endpoint: not public. Everyone over TLS: still public.
    r.cloudTrail(
        ct("s3.amazonaws.com", "PutBucketPolicy", T0)
            .request(
                "{\"bucketName\":\"b5\",\"bucketPolicy\":"
                    + "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                    + "\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}}]}}")
            .build());
    r.cloudTrail(
        ct("s3.amazonaws.com", "PutBucketPolicy", T0)
            .request(
                "{\"bucketName\":\"b6\",\"bucketPolicy\":"
                    + "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:GetObject\","
                    + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]}}")
            .build());
    // A Deny for everyone next to a fixed-principal Allow is not public either.
    r.cloudTrail(
        ct("s3.amazonaws.com", "PutBucketPolicy", T0)
            .request(
                "{\"bucketName\":\"b7\",\"bucketPolicy\":"
                    + "{\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"}},"
                    + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\"}]}}")
            .build());
    assertThat(r.alerts())
        .filteredOn(a -> a.getRuleId().equals("aws-s3-bucket-public"))
        .extracting(Alert::getEntity)
        .containsExactlyInAnyOrder("b1", "b3", "b4", "b6");
  }

  private List<Alert> alertsOf(List<Alert> alerts, String ruleId) {
    return alerts.stream().filter(a -> a.getRuleId().equals(ruleId)).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void deletingFlowLogsDnsQueryLogsOrModelInvocationLogsIsALogSourceDeleted(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("ec2.amazonaws.com", "DeleteFlowLogs", T0)
            .request("{\"DeleteFlowLogsRequest\":{\"FlowLogId\":{\"content\":\"fl-1\",\"tag\":1}}}")
            .build());
    r.cloudTrail(
        ct("route53resolver.amazonaws.com", "DisassociateResolverQueryLogConfig", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .build());
    r.cloudTrail(
        ct("bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/carol")
            .build());
    r.cloudTrail(
        ct("s3.amazonaws.com", "PutBucketLogging", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/erin")
            .request(
                "{\"bucketName\":\"b1\",\"BucketLoggingStatus\":{\"xmlns\":\"http://s3.amazonaws.com/doc/2006-03-01/\"}}")
            .build());
    // Creating or reading them is not, nor turning S3 access logging on.
    r.cloudTrail(
        ct("s3.amazonaws.com", "PutBucketLogging", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/dave")
            .request(
                "{\"bucketName\":\"b2\",\"BucketLoggingStatus\":{\"LoggingEnabled\":"
                    + "{\"TargetBucket\":\"logs\",\"TargetPrefix\":\"b2/\"}}}")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "CreateFlowLogs", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/dave")
            .build());
    r.cloudTrail(
        ct("route53resolver.amazonaws.com", "ListResolverQueryLogConfigs", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/dave")
            .build());

    List<Alert> deleted = alertsOf(r.alerts(), "aws-log-source-deleted");
    assertThat(deleted)
        .extracting(Alert::getEntity)
        .containsExactlyInAnyOrder(
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:iam::111122223333:user/carol",
            "arn:aws:iam::111122223333:user/erin");
    assertThat(deleted).allMatch(a -> a.getSeverity() == Severity.high);
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void aLogGroupOrItsSubscriptionDeletedIsALowLead(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("logs.amazonaws.com", "DeleteSubscriptionFilter", T0)
            .request("{\"logGroupName\":\"/vpc/flows\",\"filterName\":\"to-siem\"}")
            .build());
    r.cloudTrail(
        ct("logs.amazonaws.com", "PutSubscriptionFilter", T0)
            .request("{\"logGroupName\":\"/app/web\",\"filterName\":\"to-siem\"}")
            .build());

    assertThat(alertsOf(r.alerts(), "aws-log-group-deleted"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("/vpc/flows", Severity.low));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void replacingAnInstancesUserDataButNotOtherAttributes(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("ec2.amazonaws.com", "ModifyInstanceAttribute", T0)
            .request("{\"instanceId\":\"i-1\",\"userData\":\"<sensitiveDataRemoved>\"}")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "ModifyInstanceAttribute", T0)
            .request("{\"instanceId\":\"i-2\",\"instanceType\":{\"value\":\"t3.large\"}}")
            .build());

    assertThat(alertsOf(r.alerts(), "aws-ec2-user-data-changed"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("i-1", Severity.medium));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void aFederationTokenForAnIamUserButNotASessionToken(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("sts.amazonaws.com", "GetFederationToken", T0).request("{\"name\":\"x\"}").build());
    r.cloudTrail(
        ct("sts.amazonaws.com", "GetSessionToken", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .build());
    // Federated sessions already made do not raise it again.
    r.cloudTrail(
        ct("sts.amazonaws.com", "GetFederationToken", T0)
            .identity("FederatedUser", "arn:aws:sts::111122223333:federated-user/x")
            .build());

    assertThat(alertsOf(r.alerts(), "aws-sts-federation-token"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("arn:aws:iam::111122223333:user/alice", Severity.medium));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void identityProvidersAndTrustAnchorsAddedButNotListed(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(ct("rolesanywhere.amazonaws.com", "CreateTrustAnchor", T0).build());
    r.cloudTrail(
        ct("iam.amazonaws.com", "CreateOpenIDConnectProvider", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .build());
    r.cloudTrail(
        ct("iam.amazonaws.com", "ListSAMLProviders", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/carol")
            .build());
    r.cloudTrail(
        ct("rolesanywhere.amazonaws.com", "CreateProfile", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/carol")
            .build());

    assertThat(alertsOf(r.alerts(), "aws-identity-provider-added"))
        .extracting(Alert::getEntity)
        .containsExactlyInAnyOrder(
            "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void credentialsMadeForAnotherUserButNotForOneself(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("iam.amazonaws.com", "CreateAccessKey", T0).request("{\"userName\":\"bob\"}").build());
    r.cloudTrail(
        ct("iam.amazonaws.com", "UpdateLoginProfile", T0)
            .assumedRole(
                "arn:aws:sts::111122223333:assumed-role/admin/s",
                "arn:aws:iam::111122223333:role/admin")
            .request("{\"userName\":\"carol\"}")
            .build());
    // Alice rotating her own key, or creating one with no userName (her own): nothing.
    r.cloudTrail(
        ct("iam.amazonaws.com", "CreateAccessKey", T0).request("{\"userName\":\"alice\"}").build());
    r.cloudTrail(ct("iam.amazonaws.com", "CreateAccessKey", T0).request("{}").build());

    assertThat(alertsOf(r.alerts(), "aws-iam-credentials-for-another-user"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactlyInAnyOrder(tuple("bob", Severity.medium), tuple("carol", Severity.medium));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void aLambdaPermissionForEveryoneOrAnOutsideAccountButNotAServiceOrItsOwnAccount(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("lambda.amazonaws.com", "AddPermission20150331v2", T0)
            .request(
                "{\"functionName\":\"f1\",\"principal\":\"*\",\"action\":\"lambda:InvokeFunction\"}")
            .build());
    r.cloudTrail(
        ct("lambda.amazonaws.com", "AddLayerVersionPermission20181031", T0)
            .request("{\"layerName\":\"l1\",\"principal\":\"*\",\"versionNumber\":1}")
            .build());
    r.cloudTrail(
        ct("lambda.amazonaws.com", "AddPermission20150331v2", T0)
            .request(
                "{\"functionName\":\"f2\",\"principal\":\"s3.amazonaws.com\","
                    + "\"sourceArn\":\"arn:aws:s3:::uploads\"}")
            .build());
    // Another account (outside, then the event's own).
    r.cloudTrail(
        ct("lambda.amazonaws.com", "AddPermission20150331v2", T0)
            .request("{\"functionName\":\"f3\",\"principal\":\"444455556666\"}")
            .build());
    r.cloudTrail(
        ct("lambda.amazonaws.com", "AddPermission20150331v2", T0)
            .request("{\"functionName\":\"f4\",\"principal\":\"arn:aws:iam::111122223333:root\"}")
            .build());

    assertThat(alertsOf(r.alerts(), "aws-lambda-public-permission"))
        .extracting(Alert::getEntity, a -> a.getEvidence().get("vigil.grantedOutside"))
        .containsExactlyInAnyOrder(
            tuple("f1", "all"), tuple("l1", "all"), tuple("f3", "444455556666"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void tenDistinctSecretsReadByOnePrincipalIsABurstButRepeatedReadsOfAFewAreNot(String kind) {
    DetectionRunner r = runner(kind);
    for (int i = 0; i < 10; i++) {
      r.cloudTrail(
          ct("secretsmanager.amazonaws.com", "GetSecretValue", T0.plusSeconds(i * 30))
              .request("{\"secretId\":\"prod/db-" + i + "\"}")
              .build());
    }
    // An application reading its three secrets over and over, and a principal reading nine.
    for (int i = 0; i < 30; i++) {
      r.cloudTrail(
          ct("secretsmanager.amazonaws.com", "GetSecretValue", T0.plusSeconds(i * 10))
              .identity("AssumedRole", "arn:aws:sts::111122223333:assumed-role/app/i-1")
              .request("{\"secretId\":\"app/secret-" + (i % 3) + "\"}")
              .build());
    }
    for (int i = 0; i < 9; i++) {
      r.cloudTrail(
          ct("secretsmanager.amazonaws.com", "GetSecretValue", T0.plusSeconds(i * 30))
              .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
              .request("{\"secretId\":\"prod/db-" + i + "\"}")
              .build());
    }
    r.cloudTrail(
        ct("sts.amazonaws.com", "GetCallerIdentity", T0.plus(Duration.ofHours(1))).build());

    List<Alert> alerts = r.alerts();
    assertThat(ruleIds(alerts)).doesNotContain("aws-secret-value-read");
    assertThat(alertsOf(alerts, "aws-secrets-read-burst"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("arn:aws:iam::111122223333:user/alice", Severity.high));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void everyNameOfBatchReadsCountsTowardsABurstButParametersReadWithoutDecryptionDoNot(
      String kind) {
    DetectionRunner r = runner(kind);
    // Alice: two GetParameters calls of 4 and 3 names, one GetParameter and a batch of 2 secrets.
    r.cloudTrail(
        ct("ssm.amazonaws.com", "GetParameters", T0)
            .request(
                "{\"names\":[\"/creds/1\",\"/creds/2\",\"/creds/3\",\"/creds/4\"],"
                    + "\"withDecryption\":true}")
            .build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "GetParameters", T0.plusSeconds(1))
            .request("{\"names\":[\"/creds/4\",\"/creds/5\",\"/creds/6\"],\"withDecryption\":true}")
            .build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "GetParameter", T0.plusSeconds(2))
            .request("{\"name\":\"/creds/7\",\"withDecryption\":true}")
            .build());
    r.cloudTrail(
        ct("secretsmanager.amazonaws.com", "BatchGetSecretValue", T0.plusSeconds(3))
            .request("{\"secretIdList\":[\"prod/a\",\"prod/b\",\"prod/c\"]}")
            .build());
    // Bob reads 12 plain parameters (configuration, no decryption) and the same secret 20 times.
    r.cloudTrail(
        ct("ssm.amazonaws.com", "GetParameters", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .request(
                "{\"names\":[\"/cfg/1\",\"/cfg/2\",\"/cfg/3\",\"/cfg/4\",\"/cfg/5\",\"/cfg/6\","
                    + "\"/cfg/7\",\"/cfg/8\",\"/cfg/9\",\"/cfg/10\",\"/cfg/11\",\"/cfg/12\"]}")
            .build());
    for (int i = 0; i < 20; i++) {
      r.cloudTrail(
          ct("ssm.amazonaws.com", "GetParameters", T0.plusSeconds(i))
              .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
              .request("{\"names\":[\"/app/db-password\"],\"withDecryption\":true}")
              .build());
    }

    List<Alert> alerts = alertsOf(r.alerts(), "aws-secrets-read-burst");
    assertThat(alerts)
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("arn:aws:iam::111122223333:user/alice", Severity.high));
    assertThat(alerts.get(0).getEvidence()).containsEntry("correlation.value", "10");
    assertThat(alerts.get(0).getCount()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void bedrockModelAccessEnabledButNotListedOrRefused(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(ct("bedrock.amazonaws.com", "PutUseCaseForModelAccess", T0).build());
    r.cloudTrail(
        ct("bedrock.amazonaws.com", "CreateFoundationModelAgreement", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .request("{\"modelId\":\"anthropic.claude-3-sonnet-20240229-v1:0\"}")
            .build());
    r.cloudTrail(
        ct("bedrock.amazonaws.com", "ListFoundationModelAgreementOffers", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/carol")
            .build());
    r.cloudTrail(
        ct("bedrock.amazonaws.com", "PutFoundationModelEntitlement", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/dave")
            .error("AccessDeniedException", "no")
            .build());

    assertThat(alertsOf(r.alerts(), "aws-bedrock-model-access-enabled"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactlyInAnyOrder(
            tuple("arn:aws:iam::111122223333:user/alice", Severity.medium),
            tuple("arn:aws:iam::111122223333:user/bob", Severity.medium));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void serialConsoleAccessEnabledButNotDisabledOrRead(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(ct("ec2.amazonaws.com", "EnableSerialConsoleAccess", T0).build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "DisableSerialConsoleAccess", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "GetSerialConsoleAccessStatus", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/carol")
            .build());

    assertThat(alertsOf(r.alerts(), "aws-ec2-serial-console-enabled"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("arn:aws:iam::111122223333:user/alice", Severity.medium));
  }

  /** A call with an instance's role credentials, as EC2 delivers them, from {@code address}. */
  private static io.vigil.schemas.CloudTrailEvent instanceCall(
      String instance, String address, Instant at) {
    String session = "arn:aws:sts::111122223333:assumed-role/web/" + instance;
    String json =
        "{\"type\":\"AssumedRole\",\"arn\":\""
            + session
            + "\",\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionContext\":{\"ec2RoleDelivery\":\"2.0\","
            + "\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::111122223333:role/web\"}}}";
    io.vigil.schemas.CloudTrailEvent event =
        ct("sts.amazonaws.com", "GetCallerIdentity", at)
            .assumedRole(session, "arn:aws:iam::111122223333:role/web")
            .sourceIp(address)
            .build();
    event.getUserIdentity().setJson(json);
    event.getUserIdentity().setAccessKeyId("ASIAEXAMPLE");
    return event;
  }

  /** A call with alice's long-term access key from {@code address}. */
  private static io.vigil.schemas.CloudTrailEvent userKeyCall(String address, Instant at) {
    io.vigil.schemas.CloudTrailEvent event =
        ct("ec2.amazonaws.com", "DescribeInstances", at).sourceIp(address).build();
    event
        .getUserIdentity()
        .setJson(
            "{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
                + "\"accessKeyId\":\"AKIAEXAMPLE\",\"userName\":\"alice\"}");
    event.getUserIdentity().setAccessKeyId("AKIAEXAMPLE");
    return event;
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void instanceCredentialsUsedWhereAUserKeyIsUsedButNotFromTheInstancesOwnAddress(String kind) {
    DetectionRunner r = runner(kind);
    // The instances call from their NAT address; alice works from her office.
    r.cloudTrail(instanceCall("i-0aaa", "52.1.2.3", T0));
    r.cloudTrail(instanceCall("i-0bbb", "52.1.2.3", T0.plusSeconds(5)));
    r.cloudTrail(userKeyCall("198.51.100.7", T0.plusSeconds(10)));
    // i-0aaa's credentials, taken, used from alice's address: the theft.
    r.cloudTrail(instanceCall("i-0aaa", "198.51.100.7", T0.plusSeconds(70)));
    // The same pair an hour apart is no theft the rule claims to see.
    r.cloudTrail(userKeyCall("203.0.113.9", T0.plus(Duration.ofHours(1))));
    r.cloudTrail(instanceCall("i-0bbb", "203.0.113.9", T0.plus(Duration.ofHours(2))));

    assertThat(alertsOf(r.alerts(), "aws-instance-credentials-beside-user-key"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("198.51.100.7", Severity.medium));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void secretsRetrievedByFilterButNotByTheirIds(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("secretsmanager.amazonaws.com", "BatchGetSecretValue", T0)
            .request("{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"team\"]}]}")
            .build());
    r.cloudTrail(
        ct("secretsmanager.amazonaws.com", "BatchGetSecretValue", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .request("{\"secretIdList\":[\"app/a\",\"app/b\"]}")
            .build());

    assertThat(alertsOf(r.alerts(), "aws-secrets-bulk-retrieval"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactly(tuple("arn:aws:iam::111122223333:user/alice", Severity.medium));
  }

  // Snapshots, images and roles shared with: an outside account, everyone, one of the
  // organization's accounts (accounts.names), the account itself, an organization.
  private static void shareEverything(DetectionRunner r) {
    r.cloudTrail(
        ct("ec2.amazonaws.com", "ModifySnapshotAttribute", T0)
            .request(
                "{\"snapshotId\":\"snap-out\",\"createVolumePermission\":{\"add\":{\"items\":"
                    + "[{\"userId\":\"444455556666\"}]}}}")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "ModifyImageAttribute", T0)
            .request(
                "{\"imageId\":\"ami-public\",\"launchPermission\":{\"add\":{\"items\":"
                    + "[{\"group\":\"all\"}]}}}")
            .build());
    r.cloudTrail(
        ct("rds.amazonaws.com", "ModifyDBSnapshotAttribute", T0)
            .request(
                "{\"dBSnapshotIdentifier\":\"db-own\",\"attributeName\":\"restore\","
                    + "\"valuesToAdd\":[\"777788889999\"]}")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "ModifyImageAttribute", T0)
            .request(
                "{\"imageId\":\"ami-org\",\"launchPermission\":{\"add\":{\"items\":"
                    + "[{\"organizationArn\":\"arn:aws:organizations::777788889999:organization/o-1\"}]}}}")
            .build());
    r.cloudTrail(
        ct("iam.amazonaws.com", "UpdateAssumeRolePolicy", T0)
            .request(
                "{\"roleName\":\"backdoor\",\"policyDocument\":\"{\\\"Statement\\\":[{\\\"Effect\\\":"
                    + "\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::444455556666:root\\\"},"
                    + "\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\"}")
            .build());
    r.cloudTrail(
        ct("iam.amazonaws.com", "CreateRole", T0)
            .request(
                "{\"roleName\":\"cross-account-ci\",\"assumeRolePolicyDocument\":\"{\\\"Statement\\\":"
                    + "[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":"
                    + "[\\\"777788889999\\\",\\\"arn:aws:iam::111122223333:role/admin\\\"]},"
                    + "\\\"Action\\\":\\\"sts:AssumeRole\\\"},{\\\"Effect\\\":\\\"Allow\\\","
                    + "\\\"Principal\\\":{\\\"Service\\\":\\\"ec2.amazonaws.com\\\"}}]}\"}")
            .build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void sharingOutsideTheOrganizationButNotWithItsOwnAccounts(String kind) {
    DetectionSettings organization =
        SETTINGS.withAccountNames(Map.of("111122223333", "prod", "777788889999", "backup"));
    DetectionRunner r = runner(kind, DetectionEngine.load(organization), organization);
    shareEverything(r);

    List<Alert> alerts = r.alerts();
    assertThat(alertsOf(alerts, "aws-storage-shared-outside"))
        .extracting(Alert::getEntity, a -> a.getEvidence().get("vigil.grantedOutside"))
        .containsExactlyInAnyOrder(tuple("snap-out", "444455556666"), tuple("ami-public", "all"));
    assertThat(alertsOf(alerts, "aws-role-trusts-outside-account"))
        .extracting(Alert::getEntity, a -> a.getEvidence().get("vigil.grantedOutside"))
        .containsExactly(tuple("backdoor", "444455556666"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void withoutAccountNamesOnlyTheEventsOwnAccountIsInside(String kind) {
    DetectionRunner r = runner(kind);
    shareEverything(r);

    List<Alert> alerts = r.alerts();
    assertThat(alertsOf(alerts, "aws-storage-shared-outside"))
        .extracting(Alert::getEntity)
        .containsExactlyInAnyOrder("snap-out", "ami-public", "db-own");
    assertThat(alertsOf(alerts, "aws-role-trusts-outside-account"))
        .extracting(Alert::getEntity, a -> a.getEvidence().get("vigil.grantedOutside"))
        .containsExactlyInAnyOrder(
            tuple("backdoor", "444455556666"), tuple("cross-account-ci", "777788889999"));
  }

  private static String launch(String type, int maxCount) {
    return "{\"instanceType\":\""
        + type
        + "\",\"instancesSet\":{\"items\":[{\"imageId\":\"ami-1\",\"minCount\":1,\"maxCount\":"
        + maxCount
        + "}]}}";
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void gpuInstancesOrTenAtOnceButNotAnOrdinaryLaunch(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("ec2.amazonaws.com", "RunInstances", T0)
            .request(launch("p3.2xlarge", 1))
            .error("Client.VcpuLimitExceeded", "limit")
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "RunInstances", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/bob")
            .request(launch("t3.micro", 12))
            .build());
    r.cloudTrail(
        ct("ec2.amazonaws.com", "RunInstances", T0)
            .identity("IAMUser", "arn:aws:iam::111122223333:user/carol")
            .request(launch("m5.large", 9))
            .build());

    assertThat(alertsOf(r.alerts(), "aws-ec2-unusual-instance-launch"))
        .extracting(Alert::getEntity, Alert::getSeverity)
        .containsExactlyInAnyOrder(
            tuple("arn:aws:iam::111122223333:user/alice", Severity.medium),
            tuple("arn:aws:iam::111122223333:user/bob", Severity.medium));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void threatIntelAddressesInCloudTrailAndFlows(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(ct("sts.amazonaws.com", "GetCallerIdentity", T0).sourceIp("203.0.113.9").build());
    r.cloudTrail(ct("sts.amazonaws.com", "GetCallerIdentity", T0).sourceIp("198.51.100.9").build());
    r.flow(flow(T0, "10.0.1.5", "2001:db8:bad::1", 443, "ACCEPT", 100));
    assertThat(ruleIds(r.alerts()))
        .containsExactlyInAnyOrder("aws-threat-intel-source-ip", "vpc-threat-intel-match");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void remoteAdminAcceptedFromTheInternetButNotFromPrivateAddresses(String kind) {
    DetectionRunner r = runner(kind);
    r.flow(flow(T0, "198.51.100.23", "10.0.1.5", 22, "ACCEPT", 4000));
    r.flow(flow(T0, "10.0.2.9", "10.0.1.5", 3389, "ACCEPT", 4000));
    r.flow(flow(T0, "198.51.100.24", "10.0.1.5", 3389, "REJECT", 60));
    assertThat(r.alerts())
        .extracting(Alert::getRuleId, Alert::getEntity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("vpc-remote-admin-from-internet", "198.51.100.23"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void portScanCountsDistinctPortsNotFlows(String kind) {
    DetectionRunner r = runner(kind);
    for (int i = 0; i < 40; i++) {
      r.flow(flow(T0.plusSeconds(i), "198.51.100.77", "10.0.1.5", 443, "REJECT", 60));
    }
    assertThat(r.alerts()).as("40 flows to one port are not a scan").isEmpty();
    for (int port = 1; port <= 19; port++) {
      r.flow(
          flow(T0.plusSeconds(60 + port), "198.51.100.78", "10.0.1.5", 1000 + port, "REJECT", 60));
    }
    assertThat(r.alerts()).as("19 distinct ports").isEmpty();
    r.flow(flow(T0.plusSeconds(100), "198.51.100.78", "10.0.1.5", 2000, "REJECT", 60));
    List<Alert> alerts = r.alerts();
    assertThat(ruleIds(alerts)).containsExactly("vpc-port-scan");
    assertThat(alerts.get(0).getEntity()).isEqualTo("198.51.100.78");
    assertThat(alerts.get(0).getEvidence()).containsEntry("correlation.value", "20");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void oneGibibyteToTheInternetWithinTenMinutesIsExfiltration(String kind) {
    DetectionRunner r = runner(kind);
    long quarter = (1L << 30) / 4;
    for (int i = 0; i < 3; i++) {
      r.flow(flow(T0.plusSeconds(i * 60), "10.0.1.5", "198.51.100.200", 443, "ACCEPT", quarter));
    }
    r.flow(flow(T0.plusSeconds(200), "10.0.1.5", "10.0.9.9", 443, "ACCEPT", quarter * 4));
    assertThat(r.alerts()).as("3/4 GiB to the internet, the rest inside the VPC").isEmpty();
    r.flow(flow(T0.plusSeconds(240), "10.0.1.5", "198.51.100.201", 443, "ACCEPT", quarter));
    assertThat(r.alerts())
        .extracting(Alert::getRuleId, Alert::getEntity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("vpc-data-exfiltration", "10.0.1.5"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void logsBackfilledBehindCurrentTrafficAreDetectedInTheirOwnWindows(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("ec2.amazonaws.com", "DescribeInstances", T0.plus(Duration.ofDays(1)))
            .error("AccessDenied", "x")
            .build());
    for (int i = 0; i < 12; i++) {
      r.cloudTrail(
          ct("ec2.amazonaws.com", "DescribeInstances", T0.plusSeconds(i))
              .error("AccessDenied", "x")
              .build());
    }
    r.flush();
    List<Alert> alerts = r.alerts();
    assertThat(ruleIds(alerts)).containsOnly("aws-unauthorized-api-calls");
    assertThat(alerts.get(alerts.size() - 1).getCount()).isEqualTo(12);
    assertThat(r.lateEvents()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void correlationEventOfAWindowAlreadyClosedIsCountedAsLate(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("ec2.amazonaws.com", "DescribeInstances", T0).error("AccessDenied", "x").build());
    // Stream time passes the first window's end by more than the grace period (15 min).
    r.cloudTrail(
        ct("ec2.amazonaws.com", "DescribeInstances", T0.plus(Duration.ofMinutes(25)))
            .error("AccessDenied", "x")
            .build());
    r.flush();
    r.flush();
    assertThat(r.lateEvents()).isZero();
    r.cloudTrail(
        ct("ec2.amazonaws.com", "DescribeInstances", T0.plusSeconds(1))
            .error("AccessDenied", "x")
            .build());
    assertThat(r.lateEvents()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void everyCisChangeRuleFiresOnItsEvents(String kind) {
    DetectionRunner r = runner(kind);
    Map<String, String[]> events =
        Map.of(
            "aws-cloudtrail-config-change",
                new String[] {"cloudtrail.amazonaws.com", "PutEventSelectors"},
            "aws-kms-key-disabled-or-deleted",
                new String[] {"kms.amazonaws.com", "ScheduleKeyDeletion"},
            "aws-s3-bucket-policy-change", new String[] {"s3.amazonaws.com", "PutBucketCors"},
            "aws-config-change", new String[] {"config.amazonaws.com", "StopConfigurationRecorder"},
            "aws-security-group-change", new String[] {"ec2.amazonaws.com", "CreateSecurityGroup"},
            "aws-nacl-change", new String[] {"ec2.amazonaws.com", "ReplaceNetworkAclEntry"},
            "aws-network-gateway-change",
                new String[] {"ec2.amazonaws.com", "AttachInternetGateway"},
            "aws-route-table-change", new String[] {"ec2.amazonaws.com", "DisassociateRouteTable"},
            "aws-vpc-change", new String[] {"ec2.amazonaws.com", "CreateVpcPeeringConnection"},
            "aws-organizations-change",
                new String[] {"organizations.amazonaws.com", "LeaveOrganization"});
    events.values().forEach(e -> r.cloudTrail(ct(e[0], e[1], T0).build()));
    r.cloudTrail(
        ct("s3.amazonaws.com", "DeleteBucketEncryption", T0)
            .request("{\"bucketName\":\"b\"}")
            .build());
    r.cloudTrail(
        ct("guardduty.amazonaws.com", "UpdateDetector", T0)
            .request("{\"detectorId\":\"d\",\"enable\":false}")
            .build());
    r.cloudTrail(
        ct("guardduty.amazonaws.com", "UpdateDetector", T0)
            .request("{\"detectorId\":\"d\",\"enable\":true}")
            .build());
    r.cloudTrail(
        ct("kms.amazonaws.com", "ScheduleKeyDeletion", T0).error("AccessDenied", "no").build());
    Set<String> expected = new java.util.HashSet<>(events.keySet());
    expected.addAll(List.of("aws-s3-encryption-removed", "aws-security-service-disabled"));
    assertThat(ruleIds(r.alerts())).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void matchAfterTheSuppressionWindowOpensASecondAlert(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(
        ct("iam.amazonaws.com", "ListUsers", T0)
            .identity("Root", "arn:aws:iam::111122223333:root")
            .build());
    r.cloudTrail(
        ct("iam.amazonaws.com", "ListUsers", T0.plus(AlertSuppressor.Settings.DEFAULTS.window()))
            .identity("Root", "arn:aws:iam::111122223333:root")
            .build());
    List<Alert> alerts = r.alerts();
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).getDedupKey()).isNotEqualTo(alerts.get(1).getDedupKey());
  }
}
