package io.vigil.streams.posture;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.ResourceState;
import org.junit.jupiter.api.Test;

/** Trails, GuardDuty detectors, Security Hub, Config recorders and KMS keys. */
class PostureServicesTest extends PostureTopologyTestBase {

  private static final String TRAIL = "stratus-red-team-ctlr-trail-zqfsvooxqj";
  private static final String TRAIL_ARN =
      "arn:aws:cloudtrail:us-east-1:123837392027:trail/" + TRAIL;
  private static final String DETECTOR_ARN =
      "arn:aws:guardduty:us-east-1:123837392027:detector/12abc34d567e8fa901bc2d34e56789f0";
  private static final String HUB_ARN = "arn:aws:securityhub:us-east-1:123837392027:hub/default";
  private static final String RECORDER_ARN =
      "arn:aws:config:us-east-1:123837392027:configuration-recorder/default";
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:123837392027:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  /** CreateTrail as the Stratus detonation recorded it: single-region, no log file validation. */
  private Event createTrail() {
    return event("cloudtrail", "CreateTrail")
        .request(
            """
            {"name": "%s", "s3BucketName": "stratus-red-team-ctlr-bucket-zqfsvooxqj",
             "includeGlobalServiceEvents": true,
             "tagsList": [{"key": "StratusRedTeam", "value": "true"}]}\
            """
                .formatted(TRAIL))
        .response(
            """
            {"name": "%s", "s3BucketName": "stratus-red-team-ctlr-bucket-zqfsvooxqj",
             "includeGlobalServiceEvents": true,
             "isMultiRegionTrail": false, "trailARN": "%s", "logFileValidationEnabled": false,
             "isOrganizationTrail": false}\
            """
                .formatted(TRAIL, TRAIL_ARN));
  }

  private Event trailCall(String name) {
    return event("cloudtrail", name).request("{\"name\": \"" + TRAIL + "\"}");
  }

  @Test
  void createTrailRecordsMultiRegionAndLogFileValidationButNotYetLogging() {
    send(createTrail());

    ResourceState state = state(TRAIL_ARN);
    assertThat(state.getResourceType()).isEqualTo("AWS::CloudTrail::Trail");
    assertThat(state.getAttributes())
        .containsEntry("multi_region", "false")
        .containsEntry("log_file_validation", "false")
        .doesNotContainKey("logging");
    assertThat(state.getFailingControls())
        .containsExactly(
            "posture-cloudtrail-not-multi-region", "posture-cloudtrail-log-validation-disabled");
  }

  @Test
  void updateTrailChangesMultiRegionAndValidation() {
    send(
        createTrail(),
        event("cloudtrail", "UpdateTrail")
            .request(
                """
                {"name": "%s", "isMultiRegionTrail": true, "enableLogFileValidation": true}\
                """
                    .formatted(TRAIL)));

    assertThat(attributes(TRAIL_ARN))
        .containsEntry("multi_region", "true")
        .containsEntry("log_file_validation", "true");
    assertThat(state(TRAIL_ARN).getFailingControls()).isEmpty();
  }

  @Test
  void stopLoggingIsAFindingAndStartLoggingRepairsIt() {
    send(createTrail(), trailCall("StartLogging"));
    assertThat(attributes(TRAIL_ARN)).containsEntry("logging", "true");
    findings.clear();

    Event stop = trailCall("StopLogging");
    send(stop);
    assertThat(attributes(TRAIL_ARN)).containsEntry("logging", "false");
    assertThat(findingIds()).containsExactly("posture-cloudtrail-not-logging");
    assertThat(findings.get(0).getEntity()).isEqualTo(TRAIL_ARN);
    assertThat(findings.get(0).getEvidence()).containsEntry("logging", "false");
    assertThat(findings.get(0).getEventIds()).contains(stop.id());

    send(trailCall("StartLogging"));
    assertThat(state(TRAIL_ARN).getFailingControls())
        .doesNotContain("posture-cloudtrail-not-logging");
  }

  @Test
  void deletingALoggingTrailIsOneNotLoggingFindingAndTheDeletedTrailFailsNothing() {
    send(createTrail(), trailCall("StartLogging"));
    findings.clear();
    send(trailCall("DeleteTrail"));

    assertThat(state(TRAIL_ARN).getDeleted()).isTrue();
    assertThat(state(TRAIL_ARN).getFailingControls()).isEmpty();
    assertThat(findingIds()).containsExactly("posture-cloudtrail-not-logging");
    assertThat(findings.get(0).getEvidence()).containsEntry("deleted", "true");

    // Deleting the deleted trail again breaks nothing new.
    send(trailCall("DeleteTrail"));
    assertThat(findings).hasSize(1);
  }

  @Test
  void trailNamedByArnInAnotherRegionTakesItsRegionFromTheArn() {
    String arn = "arn:aws:cloudtrail:eu-west-1:123837392027:trail/org-trail";
    send(event("cloudtrail", "StopLogging").request("{\"name\": \"" + arn + "\"}"));

    assertThat(state(arn).getRegion()).isEqualTo("eu-west-1");
    assertThat(findingIds()).containsExactly("posture-cloudtrail-not-logging");
  }

  @Test
  void guardDutyDetectorCreatedEnabledThenDisabledThenDeleted() {
    send(
        event("guardduty", "CreateDetector")
            .request("{\"enable\": true, \"findingPublishingFrequency\": \"SIX_HOURS\"}")
            .response("{\"detectorId\": \"12abc34d567e8fa901bc2d34e56789f0\"}"));
    assertThat(state(DETECTOR_ARN).getResourceType()).isEqualTo("AWS::GuardDuty::Detector");
    assertThat(attributes(DETECTOR_ARN)).containsEntry("enabled", "true");
    assertThat(findings).isEmpty();

    send(
        event("guardduty", "UpdateDetector")
            .request("{\"detectorId\": \"12abc34d567e8fa901bc2d34e56789f0\", \"enable\": false}"));
    assertThat(attributes(DETECTOR_ARN)).containsEntry("enabled", "false");
    assertThat(findingIds()).containsExactly("posture-guardduty-disabled");

    send(
        event("guardduty", "UpdateDetector")
            .request("{\"detectorId\": \"12abc34d567e8fa901bc2d34e56789f0\", \"enable\": true}"));
    assertThat(state(DETECTOR_ARN).getFailingControls()).isEmpty();

    send(
        event("guardduty", "DeleteDetector")
            .request("{\"detectorId\": \"12abc34d567e8fa901bc2d34e56789f0\"}"));
    assertThat(state(DETECTOR_ARN).getDeleted()).isTrue();
    assertThat(findingIds())
        .containsExactly("posture-guardduty-disabled", "posture-guardduty-disabled");
  }

  @Test
  void securityHubEnabledThenDisabledPerAccountAndRegion() {
    send(event("securityhub", "EnableSecurityHub").request("{\"EnableDefaultStandards\": true}"));
    assertThat(state(HUB_ARN).getResourceType()).isEqualTo("AWS::SecurityHub::Hub");
    assertThat(attributes(HUB_ARN)).containsEntry("enabled", "true");

    send(event("securityhub", "DisableSecurityHub").request("{}"));
    assertThat(attributes(HUB_ARN)).containsEntry("enabled", "false");
    assertThat(findingIds()).containsExactly("posture-securityhub-disabled");
    assertThat(findings.get(0).getRegion()).isEqualTo(REGION);
  }

  @Test
  void configRecorderStartedStoppedAndDeleted() {
    send(
        event("config", "StartConfigurationRecorder")
            .request("{\"configurationRecorderName\": \"default\"}"));
    assertThat(state(RECORDER_ARN).getResourceType())
        .isEqualTo("AWS::Config::ConfigurationRecorder");
    assertThat(attributes(RECORDER_ARN)).containsEntry("recording", "true");

    send(
        event("config", "StopConfigurationRecorder")
            .request("{\"configurationRecorderName\": \"default\"}"));
    assertThat(attributes(RECORDER_ARN)).containsEntry("recording", "false");
    assertThat(findingIds()).containsExactly("posture-config-recorder-stopped");

    send(
        event("config", "DeleteConfigurationRecorder")
            .request("{\"configurationRecorderName\": \"default\"}"));
    assertThat(state(RECORDER_ARN).getDeleted()).isTrue();
    assertThat(state(RECORDER_ARN).getFailingControls()).isEmpty();
    // Stopped then deleted is one break, not two.
    assertThat(findingIds()).containsExactly("posture-config-recorder-stopped");
  }

  @Test
  void kmsKeyDisabledScheduledForDeletionCancelledAndEnabled() {
    send(
        event("kms", "DisableKey")
            .request("{\"keyId\": \"1234abcd-12ab-34cd-56ef-1234567890ab\"}"));
    assertThat(state(KEY_ARN).getResourceType()).isEqualTo("AWS::KMS::Key");
    assertThat(attributes(KEY_ARN)).containsEntry("key_state", "Disabled");
    assertThat(findingIds()).containsExactly("posture-kms-key-disabled");

    send(event("kms", "EnableKey").request("{\"keyId\": \"" + KEY_ARN + "\"}"));
    assertThat(attributes(KEY_ARN)).containsEntry("key_state", "Enabled");
    assertThat(state(KEY_ARN).getFailingControls()).isEmpty();

    send(
        event("kms", "ScheduleKeyDeletion")
            .request(
                "{\"keyId\": \"1234abcd-12ab-34cd-56ef-1234567890ab\", \"pendingWindowInDays\":"
                    + " 30}")
            .response(
                "{\"keyId\": \""
                    + KEY_ARN
                    + "\", \"deletionDate\": \"Aug 9, 2023, 12:00:00 AM\"}"));
    assertThat(attributes(KEY_ARN))
        .containsEntry("key_state", "PendingDeletion")
        .containsEntry("deletion_date", "Aug 9, 2023, 12:00:00 AM");
    assertThat(findingIds())
        .containsExactly("posture-kms-key-disabled", "posture-kms-key-disabled");

    // A cancelled deletion leaves the key disabled: still failing, no new finding.
    send(
        event("kms", "CancelKeyDeletion")
            .request("{\"keyId\": \"1234abcd-12ab-34cd-56ef-1234567890ab\"}"));
    assertThat(attributes(KEY_ARN))
        .containsEntry("key_state", "Disabled")
        .doesNotContainKey("deletion_date");
    assertThat(findings).hasSize(2);
  }
}
