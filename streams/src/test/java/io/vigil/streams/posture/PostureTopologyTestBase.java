package io.vigil.streams.posture;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.RuleMatch;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.UserIdentity;
import io.vigil.schemas.VigilTopics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@link PostureTopology#build} in a {@link TopologyTestDriver}, with CloudTrail
 * events built from the shapes real trails record (typed fields plus requestParameters and
 * responseElements as JSON), each one second after the previous unless a test says otherwise. The
 * driver's wall clock starts at {@link #wallClockStart()} and moves only when a test moves it.
 */
abstract class PostureTopologyTestBase {

  static final String APP_ID = "posture-test";
  static final String ACCOUNT = "123837392027";
  static final String REGION = "us-east-1";
  static final Instant T0 = Instant.parse("2023-07-10T12:00:00Z");

  final VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
  final List<RuleMatch> findings = new ArrayList<>();
  TopologyTestDriver driver;
  TestInputTopic<String, CloudTrailEvent> cloudtrail;
  TestOutputTopic<String, ResourceState> posture;
  StreamsBuilder builder;
  @TempDir Path stateDir;
  private int sequence;

  PostureSettings settings() {
    return new PostureSettings(List.of("patient-records-prod"), 10);
  }

  /** Where the driver's wall clock starts: by default with the events, as on a live stream. */
  Instant wallClockStart() {
    return T0;
  }

  @BeforeEach
  void buildTheRealTopology() {
    builder = new StreamsBuilder();
    PostureTopology.build(builder, topics, settings())
        .foreach((arn, finding) -> findings.add(finding));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
    // Its own state directory: the default under /tmp is shared with every other run on the
    // machine.
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(builder.build(), props, wallClockStart());
    cloudtrail =
        driver.createInputTopic(
            topics.cloudtrail().name(),
            topics.cloudtrail().keySerde().serializer(),
            topics.cloudtrail().valueSerde().serializer());
    posture =
        driver.createOutputTopic(
            topics.posture().name(),
            topics.posture().keySerde().deserializer(),
            topics.posture().valueSerde().deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  /**
   * A successful management event of {@code service}.amazonaws.com, one second after the previous.
   */
  Event event(String service, String name) {
    sequence++;
    return new Event(service, name, "evt-" + sequence, T0.plusSeconds(sequence));
  }

  void send(Event... events) {
    for (Event e : events) {
      CloudTrailEvent built = e.build();
      cloudtrail.pipeInput(built.getEventID(), built);
    }
  }

  /** The latest state in the queryable store. */
  ResourceState state(String arn) {
    KeyValueStore<String, ResourceState> store = driver.getKeyValueStore(PostureTopology.STORE);
    return store.get(arn);
  }

  /** The stored facts behind a resource's state, as JSON; null once the resource is removed. */
  String facts(String arn) {
    KeyValueStore<String, String> store = driver.getKeyValueStore(PostureTopology.FACTS_STORE);
    return store.get(arn);
  }

  /** The ARNs in the deletion index, in index (deletion time) order. */
  List<String> deletionIndex() {
    KeyValueStore<String, String> store = driver.getKeyValueStore(PostureTopology.DELETIONS_STORE);
    List<String> arns = new ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(entry -> arns.add(entry.value));
    }
    return arns;
  }

  Map<String, String> attributes(String arn) {
    return state(arn).getAttributes();
  }

  List<String> findingIds() {
    return findings.stream().map(RuleMatch::getRuleId).toList();
  }

  static String bucketArn(String bucket) {
    return "arn:aws:s3:::" + bucket;
  }

  static String groupArn(String groupId) {
    return "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":security-group/" + groupId;
  }

  /** A small builder of CloudTrail events: typed fields plus the JSON elements. */
  static final class Event {
    private final CloudTrailEvent.Builder b;

    Event(String service, String name, String id, Instant at) {
      b =
          CloudTrailEvent.newBuilder()
              .setEventID(id)
              .setEventVersion("1.08")
              .setEventSource(service + ".amazonaws.com")
              .setEventName(name)
              .setAwsRegion(REGION)
              .setSourceIPAddress("203.0.113.7")
              .setUserAgent("aws-cli/2.11.0")
              .setUserIdentity(
                  UserIdentity.newBuilder()
                      .setType("IAMUser")
                      .setAccountId(ACCOUNT)
                      .setArn("arn:aws:iam::" + ACCOUNT + ":user/admin")
                      .build())
              .setEventType("AwsApiCall")
              .setReadOnly(false)
              .setManagementEvent(true)
              .setEventCategory("Management")
              .setRecipientAccountId(ACCOUNT)
              .setRawJson("{}");
      at(at);
    }

    Event at(Instant at) {
      b.setEventTime(at.toString()).setEventTimeMillis(at);
      return this;
    }

    Event request(String json) {
      b.setRequestParameters(json);
      return this;
    }

    Event response(String json) {
      b.setResponseElements(json);
      return this;
    }

    Event error(String code) {
      b.setErrorCode(code).setErrorMessage(code);
      return this;
    }

    /**
     * An entry of the event's {@code resources}, as CloudTrail lists the resources a call touched.
     */
    Event resource(String type, String arn) {
      b.setResources(
          List.of(
              io.vigil.schemas.CloudTrailResource.newBuilder()
                  .setType(type)
                  .setARN(arn)
                  .setAccountId(ACCOUNT)
                  .build()));
      return this;
    }

    /** Recorded by AWS itself rather than called by a principal (KMS's DeleteKey, for one). */
    Event serviceEvent() {
      b.setEventType("AwsServiceEvent")
          .setSourceIPAddress("AWS Internal")
          .setUserAgent("AWS Internal")
          .setUserIdentity(
              UserIdentity.newBuilder().setAccountId(ACCOUNT).setInvokedBy("AWS Internal").build());
      return this;
    }

    Event dataEvent() {
      b.setManagementEvent(false).setEventCategory("Data");
      return this;
    }

    String id() {
      return b.getEventID();
    }

    Instant time() {
      return b.getEventTimeMillis();
    }

    CloudTrailEvent build() {
      return b.build();
    }
  }
}
