package io.vigil.streams.posture;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.ResourceState;
import java.util.List;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Ordering, finding emission, the output topic and the repartition. */
class PostureTopologyTest extends PostureTopologyTestBase {

  private static final String TRAIL_ARN =
      "arn:aws:cloudtrail:us-east-1:123837392027:trail/management-events";

  private Event trailCall(String name) {
    return event("cloudtrail", name).request("{\"name\": \"management-events\"}");
  }

  @Test
  void eventArrivingAfterALaterOneDoesNotRollTheStateBack() {
    Event start = trailCall("StartLogging");
    Event stop = trailCall("StopLogging");
    // The later StopLogging arrives first, the earlier StartLogging after it.
    send(stop);
    List<ResourceState> beforeLate = posture.readValuesToList();
    send(start);

    assertThat(attributes(TRAIL_ARN)).containsEntry("logging", "false");
    assertThat(state(TRAIL_ARN).getUpdatedAt()).isEqualTo(stop.time());
    assertThat(state(TRAIL_ARN).getFailingControls())
        .containsExactly("posture-cloudtrail-not-logging");
    assertThat(beforeLate).hasSize(1);
    assertThat(posture.isEmpty())
        .as("a late event that changes nothing publishes nothing")
        .isTrue();
  }

  @Test
  void lateEventStillSetsAttributesNoLaterEventSet() {
    Event validation =
        event("cloudtrail", "UpdateTrail")
            .request("{\"name\": \"management-events\", \"enableLogFileValidation\": true}");
    Event stop = trailCall("StopLogging");
    send(stop, validation.at(stop.time().minusSeconds(30)));

    assertThat(attributes(TRAIL_ARN))
        .containsEntry("logging", "false")
        .containsEntry("log_file_validation", "true");
    assertThat(state(TRAIL_ARN).getUpdatedAt()).isEqualTo(stop.time());
    assertThat(state(TRAIL_ARN).getEstablishedByEventIds())
        .containsExactly(validation.id(), stop.id());
  }

  @Test
  void lateAuthorizeDoesNotResurrectALaterRevokedRule() {
    String group = "sg-0a1b2c3d4e5f67890";
    String request =
        "{\"groupId\": \""
            + group
            + "\", \"ipProtocol\": \"tcp\", \"fromPort\": 22, \"toPort\": 22, \"cidrIp\":"
            + " \"0.0.0.0/0\"}";
    Event authorize = event("ec2", "AuthorizeSecurityGroupIngress").request(request);
    Event revoke = event("ec2", "RevokeSecurityGroupIngress").request(request);
    send(revoke, authorize);

    assertThat(attributes(groupArn(group))).containsEntry("open_to_world_ports", "[]");
    assertThat(findings).isEmpty();
  }

  @Test
  void lateEventFromBeforeADeletionIsIgnored() {
    Event stop = trailCall("StopLogging");
    Event delete = trailCall("DeleteTrail");
    send(delete, stop);

    assertThat(state(TRAIL_ARN).getDeleted()).isTrue();
    assertThat(attributes(TRAIL_ARN)).doesNotContainKey("logging");
  }

  @Test
  void findingIsEmittedOnceOnBreakingAndAgainOnlyAfterARepair() {
    send(trailCall("StartLogging"), trailCall("StopLogging"), trailCall("StopLogging"));
    assertThat(findingIds()).containsExactly("posture-cloudtrail-not-logging");

    send(trailCall("StartLogging"));
    assertThat(findings).hasSize(1);

    send(trailCall("StopLogging"));
    assertThat(findingIds())
        .containsExactly("posture-cloudtrail-not-logging", "posture-cloudtrail-not-logging");
  }

  @Test
  void everyNewStateIsPublishedKeyedByArn() {
    Event start = trailCall("StartLogging");
    Event stop = trailCall("StopLogging");
    send(start, stop);

    List<TestRecord<String, ResourceState>> records = posture.readRecordsToList();
    assertThat(records).extracting(TestRecord::key).containsExactly(TRAIL_ARN, TRAIL_ARN);
    assertThat(records).extracting(r -> r.value().getArn()).containsOnly(TRAIL_ARN);
    assertThat(records.get(0).value().getAttributes()).containsEntry("logging", "true");
    assertThat(records.get(1).value().getAttributes()).containsEntry("logging", "false");
    assertThat(records.get(1).value().getEstablishedByEventIds()).containsExactly(stop.id());
  }

  @Test
  void onlySuccessfulTrackedManagementEventsCrossTheRepartition() {
    TestOutputTopic<String, CloudTrailEvent> repartition =
        driver.createOutputTopic(
            APP_ID + "-" + PostureTopology.REPARTITION + "-repartition",
            topics.cloudtrail().keySerde().deserializer(),
            topics.cloudtrail().valueSerde().deserializer());
    Event tracked = event("s3", "DeleteBucketPolicy").request("{\"bucketName\": \"b1\"}");
    send(
        event("s3", "GetObject").dataEvent().request("{\"bucketName\": \"b1\", \"key\": \"x\"}"),
        event("s3", "PutBucketPolicy").error("AccessDenied").request("{\"bucketName\": \"b1\"}"),
        event("signin", "ConsoleLogin"),
        event("iam", "CreateUser").request("{\"userName\": \"mallory\"}"),
        // Tracked name but nothing to key it by: dropped before the repartition too.
        event("s3", "PutBucketAcl").request("{}"),
        tracked);

    List<TestRecord<String, CloudTrailEvent>> crossed = repartition.readRecordsToList();
    assertThat(crossed).extracting(TestRecord::key).containsExactly(bucketArn("b1"));
    assertThat(crossed.get(0).value().getEventID()).isEqualTo(tracked.id());
  }

  @Test
  void topologyRepartitionsOnceAfterThePreFilterAndNamesItsStores() {
    TopologyDescription description = builder.build().describe();
    String text = description.toString();

    assertThat(text)
        .contains(
            "posture-tracked-events",
            "posture-key-by-arn",
            PostureTopology.REPARTITION + "-repartition",
            "posture-fold",
            PostureTopology.STORE,
            PostureTopology.FACTS_STORE,
            PostureTopology.DELETIONS_STORE,
            "posture-sink");
    List<TopologyDescription.Sink> repartitionSinks =
        description.subtopologies().stream()
            .flatMap(sub -> sub.nodes().stream())
            .filter(
                node ->
                    node instanceof TopologyDescription.Sink sink
                        && sink.topic().endsWith("-repartition"))
            .map(TopologyDescription.Sink.class::cast)
            .toList();
    assertThat(repartitionSinks).as("exactly one repartition").hasSize(1);
    assertThat(repartitionSinks.get(0).topic())
        .isEqualTo(PostureTopology.REPARTITION + "-repartition");
    // The only way into the repartition is through the pre-filter.
    TopologyDescription.Node upstream = repartitionSinks.get(0);
    List<String> path = new java.util.ArrayList<>();
    while (!upstream.predecessors().isEmpty()) {
      upstream = upstream.predecessors().iterator().next();
      path.add(upstream.name());
    }
    assertThat(path)
        .containsSubsequence(
            "posture-key-by-arn", "posture-tracked-events", "posture-cloudtrail-source");
  }

  @Test
  void establishingEventIdsAreTheMostRecentBoundedBySettings() {
    String bucket = "many-changes";
    Event last = null;
    for (int i = 0; i < 6; i++) {
      send(
          event("s3", "PutBucketVersioning")
              .request(
                  "{\"bucketName\": \""
                      + bucket
                      + "\", \"VersioningConfiguration\": {\"Status\": \"Enabled\"}}"));
    }
    for (String flag :
        List.of(
            "BlockPublicAcls",
            "IgnorePublicAcls",
            "BlockPublicPolicy",
            "RestrictPublicBuckets",
            "x")) {
      last =
          event("s3", "PutBucketLogging")
              .request("{\"bucketName\": \"" + bucket + "\", \"BucketLoggingStatus\": {}}");
      send(
          event("s3", "PutBucketPublicAccessBlock")
              .request(
                  "{\"bucketName\": \""
                      + bucket
                      + "\", \"PublicAccessBlockConfiguration\": {\""
                      + flag
                      + "\": true}}"),
          last);
    }

    List<String> ids = state(bucketArn(bucket)).getEstablishedByEventIds();
    assertThat(ids).hasSizeLessThanOrEqualTo(10).endsWith(last.id());
  }
}
