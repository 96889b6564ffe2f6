package io.vigil.streams.posture;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.RuleMatch;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import io.vigil.streams.aws.EventTimeExtractor;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Posture from events (the AWS Config half of issue 6): folds successful CloudTrail management
 * events into the latest {@code ResourceState} per resource ARN, written to {@code vigil.posture}
 * (compacted, keyed by ARN) and kept in the queryable store {@value #STORE}. Returns the findings:
 * one {@code RuleMatch} (source {@code posture}, entity the ARN, evidence the relevant attributes,
 * event ids the establishing events) each time a change makes a resource fail a posture rule it did
 * not fail before; the caller merges them into the detection topology's alert path.
 *
 * <p>Tracked resources and their attributes (names in {@link PostureAttributes}, rules in {@link
 * PostureControls}):
 *
 * <ul>
 *   <li>S3 buckets {@code arn:aws:s3:::<bucket>}: {@code public_access_block.block_public_acls},
 *       {@code .ignore_public_acls}, {@code .block_public_policy}, {@code
 *       .restrict_public_buckets}, {@code policy_public}, {@code acl_public}, {@code public}
 *       (derived), {@code encryption} (SSE-S3, SSE-KMS, DSSE-KMS, removed), {@code
 *       encryption_kms_key}, {@code versioning}, {@code logging}, {@code logging_target}, {@code
 *       phi} (listed in {@code phi.buckets}).
 *   <li>Security groups {@code arn:aws:ec2:<region>:<account>:security-group/<id>}: {@code
 *       ingress_rules} and {@code open_to_world_ports} (JSON arrays), from
 *       AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress in both request shapes
 *       (ipPermissions.items[] and the flat cidrIp form, and revocation by rule id) and
 *       ModifySecurityGroupRules of ingress rules Vigil saw authorised. Sources are compared as
 *       networks; a CIDR of prefix length 0 is the internet.
 *   <li>Trails (ARN from responseElements.trailARN, or built from requestParameters.name): {@code
 *       logging}, {@code multi_region}, {@code log_file_validation}.
 *   <li>GuardDuty detectors {@code arn:aws:guardduty:<region>:<account>:detector/<id>} and Security
 *       Hub {@code arn:aws:securityhub:<region>:<account>:hub/default}: {@code enabled}.
 *   <li>Config recorders {@code arn:aws:config:<region>:<account>:configuration-recorder/<name>}
 *       (Vigil's own ARN: CloudTrail does not carry the real one): {@code recording}.
 *   <li>KMS keys: {@code key_state} (Enabled, Disabled, PendingDeletion), {@code deletion_date};
 *       KMS's own DeleteKey record at the end of the waiting period deletes the key.
 * </ul>
 *
 * {@code updated_at} is the newest event time behind the state and {@code established_by_event_ids}
 * the ids of the most recent events behind it ({@link PostureSettings#maxEventIds()}). {@code
 * failing_controls} holds posture rule ids.
 *
 * <p>Deleted resources (the AWS Config "ResourceDeleted" life cycle): a delete event sets {@code
 * deleted}, clears the facts and makes the state fail nothing, at once. Deleting a trail, GuardDuty
 * detector or Config recorder raises the finding of the control it breaks once, at the deletion
 * ({@link PostureControls#brokenByDeletion}); nothing else about a deleted resource ever does. The
 * deleted state stays in {@value #STORE} and on the topic for {@link
 * PostureSettings#deletedRetention()} after the deletion, measured in event time (see {@link
 * RetentionClock}); then a tombstone (null value) for the ARN goes to {@code vigil.posture} and the
 * ARN leaves every store. A sweep on wall-clock time, every 10 seconds, finds the expired deletions
 * with one range read of the deletion index {@value #DELETIONS_STORE}. Readers of {@code
 * vigil.posture} must take a null value as "gone".
 *
 * <p>Ordering: last-writer-wins by event time per fact (see {@link PostureFold}), so an event that
 * arrives after a later one for the same resource never rolls the state back. A re-created resource
 * (a bucket name reused) starts from its creation, with none of the facts of the deleted one. While
 * a deleted resource is kept, an event older than its deletion is ignored. After its removal Vigil
 * no longer knows the ARN, and an event older than the deletion that arrives that late (a week
 * behind the stream by default, far beyond CloudTrail's delivery delay of minutes) is taken as the
 * first news of a resource, as every first event is: remembering each removed ARN would bring back
 * the unbounded growth the removal ends. Replaying the old logs in full replays the deletion as
 * well.
 *
 * <p>Stateful: three key-value stores, all changelogged: {@value #STORE} (the published state per
 * ARN, for interactive queries), {@value #FACTS_STORE} (each fact with its event time, per ARN) and
 * {@value #DELETIONS_STORE} (the deleted resources by deletion time). Repartitions once, by ARN
 * ({@value #REPARTITION}), and only the tracked, successful events: everything else is dropped
 * before it.
 */
public final class PostureTopology {

  /** Queryable store of the latest {@code ResourceState} per ARN; stable across releases. */
  public static final String STORE = "posture-resources";

  /** Internal store of the facts behind each state, with the event time that set each. */
  public static final String FACTS_STORE = "posture-facts";

  /**
   * Internal index of the deleted resources, keyed by deletion time then ARN (see {@link
   * DeletionIndex}).
   */
  public static final String DELETIONS_STORE = "posture-deletions";

  /**
   * Name of the repartition by ARN (the internal topic is {@code
   * <application.id>-posture-by-arn-repartition}).
   */
  public static final String REPARTITION = "posture-by-arn";

  private PostureTopology() {}

  public static KStream<String, RuleMatch> build(
      StreamsBuilder builder, VigilTopics topics, PostureSettings settings) {
    Topic<String, CloudTrailEvent> cloudtrail = topics.cloudtrail();
    Topic<String, ResourceState> posture = topics.posture();

    KStream<String, PostureProcessor.Update> updates =
        builder.stream(
                cloudtrail.name(),
                Consumed.with(cloudtrail.keySerde(), cloudtrail.valueSerde())
                    .withTimestampExtractor(new EventTimeExtractor())
                    .withName("posture-cloudtrail-source"))
            .filter(
                (id, event) -> PostureChanges.tracked(event), Named.as("posture-tracked-events"))
            .flatMap(
                (id, event) ->
                    PostureChanges.of(event).stream()
                        .map(change -> KeyValue.pair(change.arn(), event))
                        .toList(),
                Named.as("posture-key-by-arn"))
            .repartition(
                Repartitioned.with(cloudtrail.keySerde(), cloudtrail.valueSerde())
                    .withName(REPARTITION))
            .process(new Fold(settings, posture), Named.as("posture-fold"));

    updates
        // A null state is a removal: the tombstone of the ARN.
        .mapValues(PostureProcessor.Update::state, Named.as("posture-states"))
        .to(
            posture.name(),
            Produced.with(posture.keySerde(), posture.valueSerde()).withName("posture-sink"));
    return updates.flatMapValues(PostureProcessor.Update::findings, Named.as("posture-findings"));
  }

  /** Supplies the fold with both of its stores, so that the topology connects them by name. */
  private record Fold(PostureSettings settings, Topic<String, ResourceState> posture)
      implements ProcessorSupplier<String, CloudTrailEvent, String, PostureProcessor.Update> {

    @Override
    public Processor<String, CloudTrailEvent, String, PostureProcessor.Update> get() {
      return new PostureProcessor(settings);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
      return Set.of(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(STORE), posture.keySerde(), posture.valueSerde()),
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(FACTS_STORE), Serdes.String(), Serdes.String()),
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(DELETIONS_STORE), Serdes.String(), Serdes.String()));
    }
  }
}
