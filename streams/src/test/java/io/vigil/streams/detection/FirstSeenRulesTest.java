package io.vigil.streams.detection;

import static io.vigil.streams.detection.TestEvents.ct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in first-seen (new_terms) rules, each with a positive and a negative case, and the
 * learning period and history they share, through the Kafka Streams topology and the scan's offline
 * detector alike. Each test starts with a day of learning: the rules' first events, which start
 * their 7-day learning period.
 */
class FirstSeenRulesTest {

  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static final Instant AFTER_LEARNING = T0.plus(Duration.ofDays(8));
  private static final String ACCOUNT = TestEvents.ACCOUNT;
  private static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
  private static final String BOB = "arn:aws:iam::" + ACCOUNT + ":user/bob";
  private static final String OPS_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/ops";
  private static final DetectionEngine ENGINE = DetectionEngine.load(DetectionSettings.DEFAULTS);

  private DetectionRunner runner;

  private DetectionRunner runner(String kind, DetectionEngine engine, DetectionSettings settings) {
    runner = DetectionRunner.of(kind, engine, settings);
    return runner;
  }

  private DetectionRunner runner(String kind) {
    return runner(kind, ENGINE, DetectionSettings.DEFAULTS);
  }

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private static List<Alert> firstSeen(List<Alert> alerts) {
    return alerts.stream().filter(a -> a.getRuleId().endsWith("-first-seen")).toList();
  }

  private static String session(String role, String name) {
    return "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role + "/" + name;
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void ssmCommandsAndSessionsByAPrincipalNewToThemButNotByThoseLearned(String kind) {
    DetectionRunner r = runner(kind);
    // Learning: alice sends commands; the ops role, in a session named after an instance, too.
    r.cloudTrail(ct("ssm.amazonaws.com", "SendCommand", T0).identity("IAMUser", ALICE).build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", T0.plusSeconds(60))
            .assumedRole(session("ops", "i-0abc"), OPS_ROLE)
            .build());
    // After learning: the same principals (ops in a new session) send commands again; bob does,
    // and opens a session; carol is refused.
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", AFTER_LEARNING).identity("IAMUser", ALICE).build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", AFTER_LEARNING)
            .assumedRole(session("ops", "i-0def"), OPS_ROLE)
            .build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", AFTER_LEARNING).identity("IAMUser", BOB).build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", AFTER_LEARNING.plusSeconds(5))
            .identity("IAMUser", BOB)
            .build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "StartSession", AFTER_LEARNING.plusSeconds(10))
            .identity("IAMUser", BOB)
            .request("{\"target\":\"i-0abc\"}")
            .build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", AFTER_LEARNING)
            .identity("IAMUser", "arn:aws:iam::" + ACCOUNT + ":user/carol")
            .error("AccessDenied", "no")
            .build());

    assertThat(firstSeen(r.alerts()))
        .extracting(Alert::getRuleId, Alert::getEntity, Alert::getSeverity, Alert::getCount)
        .containsExactlyInAnyOrder(
            tuple(
                "aws-ssm-remote-execution-first-seen", BOB + " / SendCommand", Severity.medium, 1L),
            tuple(
                "aws-ssm-remote-execution-first-seen",
                BOB + " / StartSession",
                Severity.medium,
                1L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void sshKeysPushedByAPrincipalNewToItButNotByOneWhoDoesItWeekly(String kind) {
    DetectionRunner r = runner(kind);
    for (int week = 0; week < 4; week++) {
      r.cloudTrail(
          ct(
                  "ec2-instance-connect.amazonaws.com",
                  "SendSSHPublicKey",
                  T0.plus(Duration.ofDays(7 * week)))
              .identity("IAMUser", ALICE)
              .build());
    }
    r.cloudTrail(
        ct(
                "ec2-instance-connect.amazonaws.com",
                "SendSerialConsoleSSHPublicKey",
                T0.plus(Duration.ofDays(22)))
            .assumedRole(session("ops", "mallory"), OPS_ROLE)
            .request("{\"instanceId\":\"i-0abc\",\"serialPort\":0}")
            .build());

    List<Alert> alerts = firstSeen(r.alerts());
    assertThat(alerts)
        .extracting(Alert::getRuleId, Alert::getEntity)
        .containsExactly(
            tuple(
                "aws-instance-ssh-key-first-seen", OPS_ROLE + " / SendSerialConsoleSSHPublicKey"));
    assertThat(alerts.get(0).getEvidence())
        .containsEntry("vigil.principal", OPS_ROLE)
        .containsEntry("eventName", "SendSerialConsoleSSHPublicKey")
        .containsEntry("new_terms.history", "14d")
        .containsEntry("new_terms.learning", "7d");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void bedrockInvokedByAPrincipalNewToItButNotByTheApplicationThatUsesIt(String kind) {
    DetectionRunner r = runner(kind);
    String appRole = "arn:aws:iam::" + ACCOUNT + ":role/chat-app";
    r.cloudTrail(
        ct("bedrock.amazonaws.com", "InvokeModel", T0)
            .assumedRole(session("chat-app", "s-1"), appRole)
            .build());
    r.cloudTrail(
        ct("bedrock.amazonaws.com", "Converse", AFTER_LEARNING)
            .assumedRole(session("chat-app", "s-2"), appRole)
            .build());
    r.cloudTrail(
        ct("bedrock.amazonaws.com", "InvokeModel", AFTER_LEARNING)
            .identity("IAMUser", BOB)
            .request("{\"modelId\":\"anthropic.claude-3-sonnet-20240229-v1:0\"}")
            .build());
    // Listing models is no invocation.
    r.cloudTrail(
        ct("bedrock.amazonaws.com", "ListFoundationModels", AFTER_LEARNING)
            .identity("IAMUser", ALICE)
            .build());

    assertThat(firstSeen(r.alerts()))
        .extracting(Alert::getRuleId, Alert::getEntity)
        .containsExactly(tuple("aws-bedrock-invoke-first-seen", BOB));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void lambdaCodeOrLayersChangedByAPrincipalNewToItButNotByThePipeline(String kind) {
    DetectionRunner r = runner(kind);
    String pipeline = "arn:aws:iam::" + ACCOUNT + ":role/deploy";
    r.cloudTrail(
        ct("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", T0)
            .assumedRole(session("deploy", "build-1"), pipeline)
            .request("{\"functionName\":\"orders\"}")
            .build());
    r.cloudTrail(
        ct("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", AFTER_LEARNING)
            .assumedRole(session("deploy", "build-2"), pipeline)
            .request("{\"functionName\":\"orders\"}")
            .build());
    // A memory change is no code change; a layer added is.
    r.cloudTrail(
        ct("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", AFTER_LEARNING)
            .identity("IAMUser", ALICE)
            .request("{\"functionName\":\"orders\",\"memorySize\":512}")
            .build());
    r.cloudTrail(
        ct("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", AFTER_LEARNING)
            .identity("IAMUser", BOB)
            .request(
                "{\"functionName\":\"orders\",\"layers\":[\"arn:aws:lambda:us-east-1:"
                    + ACCOUNT
                    + ":layer:ext:1\"]}")
            .build());

    assertThat(firstSeen(r.alerts()))
        .extracting(Alert::getRuleId, Alert::getEntity)
        .containsExactly(tuple("aws-lambda-code-change-first-seen", BOB));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void aTermUnseenForLongerThanItsHistoryIsNewAgainEvenAfterItsStateWasDropped(String kind) {
    DetectionRunner r = runner(kind);
    r.cloudTrail(ct("ssm.amazonaws.com", "SendCommand", T0).identity("IAMUser", ALICE).build());
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", T0.plus(Duration.ofDays(10)))
            .identity("IAMUser", BOB)
            .build());
    // Bob keeps the rule's history alive; alice's term is dropped once stream time is past it.
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", T0.plus(Duration.ofDays(20)))
            .identity("IAMUser", BOB)
            .build());
    r.flush();
    r.flush();
    r.cloudTrail(
        ct("ssm.amazonaws.com", "SendCommand", T0.plus(Duration.ofDays(21)))
            .identity("IAMUser", ALICE)
            .build());

    assertThat(firstSeen(r.alerts()))
        .extracting(Alert::getEntity)
        .containsExactly(BOB + " / SendCommand", ALICE + " / SendCommand");
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan", "scan-pre-evaluated"})
  void detectionLearningOverridesEveryRulesOwnPeriod(String kind) {
    DetectionSettings noLearning = DetectionSettings.DEFAULTS.withLearning(Duration.ZERO);
    DetectionRunner r = runner(kind, DetectionEngine.load(noLearning), noLearning);
    r.cloudTrail(ct("ssm.amazonaws.com", "SendCommand", T0).identity("IAMUser", ALICE).build());

    List<Alert> alerts = firstSeen(r.alerts());
    assertThat(alerts).extracting(Alert::getEntity).containsExactly(ALICE + " / SendCommand");
    assertThat(alerts.get(0).getEvidence()).containsEntry("new_terms.learning", "0s");
  }
}
