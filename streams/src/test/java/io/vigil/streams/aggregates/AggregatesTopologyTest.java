package io.vigil.streams.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Aggregate;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.TopEntry;
import io.vigil.schemas.UserIdentity;
import io.vigil.schemas.VigilTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AggregatesTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private final VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
  private final AggregateSettings settings =
      new AggregateSettings(List.of(Duration.ofMinutes(1)), Duration.ofMinutes(2), 2);
  private TopologyTestDriver driver;
  private TestInputTopic<String, CloudTrailEvent> cloudtrail;
  private TestInputTopic<String, FlowRecord> vpcflow;
  private TestOutputTopic<String, Aggregate> out;

  @BeforeEach
  void buildTheRealTopology() {
    StreamsBuilder builder = new StreamsBuilder();
    AggregatesTopology.build(builder, topics, settings);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregates-test");
    driver = new TopologyTestDriver(builder.build(), props);
    cloudtrail =
        driver.createInputTopic(
            topics.cloudtrail().name(),
            topics.cloudtrail().keySerde().serializer(),
            topics.cloudtrail().valueSerde().serializer());
    vpcflow =
        driver.createInputTopic(
            topics.vpcflow().name(),
            topics.vpcflow().keySerde().serializer(),
            topics.vpcflow().valueSerde().serializer());
    out =
        driver.createOutputTopic(
            topics.aggregates().name(),
            topics.aggregates().keySerde().deserializer(),
            topics.aggregates().valueSerde().deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void cloudTrailCountsAreEmittedOnceAfterTheWindowAndGraceClose() {
    cloudtrail.pipeInput(
        event(T0.plusSeconds(1), "GetObject", null, "arn:aws:iam::111122223333:user/alice"));
    cloudtrail.pipeInput(
        event(
            T0.plusSeconds(2), "GetObject", "AccessDenied", "arn:aws:iam::111122223333:user/bob"));
    cloudtrail.pipeInput(
        event(T0.plusSeconds(3), "GetObject", null, "arn:aws:iam::111122223333:user/alice"));
    assertThat(out.isEmpty()).as("nothing before the window closes").isTrue();

    // Late but within grace: still counted in the 10:00 window.
    cloudtrail.pipeInput(
        event(T0.plusSeconds(90), "ListBuckets", null, "arn:aws:iam::111122223333:user/carol"));
    cloudtrail.pipeInput(
        event(T0.plusSeconds(59), "GetObject", null, "arn:aws:iam::111122223333:user/alice"));
    assertThat(out.isEmpty()).isTrue();
    // Stream time passes window end + grace: the 10:00 window closes.
    cloudtrail.pipeInput(
        event(T0.plusSeconds(185), "ListBuckets", null, "arn:aws:iam::111122223333:user/carol"));

    Map<String, Aggregate> first = byName(out.readValuesToList(), T0);
    Aggregate getObject =
        first.get(
            "cloudtrail.events|account=111122223333|eventName=GetObject|eventSource=s3.amazonaws.com|region=us-east-1");
    assertThat(getObject.getCount()).isEqualTo(4);
    assertThat(getObject.getWindowStart()).isEqualTo(T0);
    assertThat(getObject.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
    assertThat(
            first.get("cloudtrail.errors|account=111122223333|errorCode=AccessDenied").getCount())
        .isEqualTo(1);
    assertThat(first.get("cloudtrail.top_principals|account=111122223333").getTop())
        .containsExactly(
            new TopEntry("arn:aws:iam::111122223333:user/alice", 3L),
            new TopEntry("arn:aws:iam::111122223333:user/bob", 1L));
  }

  @Test
  void eventLaterThanTheGracePeriodIsNotCountedInAClosedWindow() {
    cloudtrail.pipeInput(
        event(T0.plusSeconds(1), "GetObject", null, "arn:aws:iam::111122223333:user/alice"));
    cloudtrail.pipeInput(
        event(T0.plusSeconds(200), "ListBuckets", null, "arn:aws:iam::111122223333:user/carol"));
    List<Aggregate> closed = out.readValuesToList();
    cloudtrail.pipeInput(
        event(T0.plusSeconds(2), "GetObject", null, "arn:aws:iam::111122223333:user/alice"));
    cloudtrail.pipeInput(
        event(T0.plusSeconds(400), "ListBuckets", null, "arn:aws:iam::111122223333:user/carol"));
    assertThat(
            byName(closed, T0)
                .get(
                    "cloudtrail.events|account=111122223333|eventName=GetObject|eventSource=s3.amazonaws.com|"
                        + "region=us-east-1")
                .getCount())
        .isEqualTo(1);
    assertThat(byName(out.readValuesToList(), T0)).isEmpty();
  }

  @Test
  void flowBytesByActionAndTopTalkersAreBounded() {
    vpcflow.pipeInput(flow(T0, "10.0.0.5", "203.0.113.9", 443, "ACCEPT", 1000, 10));
    vpcflow.pipeInput(flow(T0.plusSeconds(5), "10.0.0.6", "203.0.113.9", 22, "REJECT", 60, 1));
    vpcflow.pipeInput(flow(T0.plusSeconds(6), "10.0.0.7", "203.0.113.9", 443, "ACCEPT", 500, 5));
    vpcflow.pipeInput(flow(T0.plusSeconds(7), "10.0.0.5", "198.51.100.1", 443, "ACCEPT", 2000, 20));
    vpcflow.pipeInput(flow(T0.plusSeconds(300), "10.0.0.9", "203.0.113.9", 443, "ACCEPT", 1, 1));

    Map<String, Aggregate> closed = byName(out.readValuesToList(), T0);
    assertThat(closed.get("vpcflow.bytes_by_action|account=111122223333|action=ACCEPT").getSum())
        .isEqualTo(3500);
    assertThat(closed.get("vpcflow.bytes_by_action|account=111122223333|action=REJECT").getSum())
        .isEqualTo(60);
    assertThat(closed.get("vpcflow.packets_by_action|account=111122223333|action=ACCEPT").getSum())
        .isEqualTo(35);
    assertThat(closed.get("vpcflow.top_talkers_by_bytes|account=111122223333").getTop())
        .containsExactly(new TopEntry("10.0.0.5", 3000L), new TopEntry("10.0.0.7", 500L));
  }

  /**
   * Aggregates of the window starting at {@code start}, by aggregate key (the output key without
   * the window).
   */
  private static Map<String, Aggregate> byName(List<Aggregate> aggregates, Instant start) {
    return aggregates.stream()
        .filter(a -> a.getWindowStart().equals(start))
        .collect(
            Collectors.toMap(
                a ->
                    a.getName()
                        + a.getDimensions().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .map(e -> "|" + e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining()),
                a -> a));
  }

  @Test
  void everyKeySeenIsKeptWithItsAllTimeCountAndFirstAndLastEventTime() {
    String alice = "arn:aws:iam::111122223333:user/alice";
    cloudtrail.pipeInput(event(T0.plusSeconds(30), "GetObject", null, alice));
    // out of order, and days apart: the first and last are by event time, not arrival
    cloudtrail.pipeInput(event(T0.plus(Duration.ofDays(3)), "GetObject", null, alice));
    cloudtrail.pipeInput(event(T0, "GetObject", null, alice));
    cloudtrail.pipeInput(event(T0.plusSeconds(5), "PutObject", null, alice));

    KeyValueStore<String, Aggregate> seen = driver.getKeyValueStore(AggregatesTopology.SEEN_STORE);
    Aggregate gets =
        seen.get(
            "cloudtrail.events|account=111122223333|eventName=GetObject"
                + "|eventSource=s3.amazonaws.com|region=us-east-1");
    assertThat(gets.getCount()).isEqualTo(3);
    assertThat(gets.getWindowStart()).isEqualTo(T0);
    assertThat(gets.getWindowEnd()).isEqualTo(T0.plus(Duration.ofDays(3)));
    assertThat(gets.getTop()).isNull();
    assertThat(
            seen.get(
                    "cloudtrail.events|account=111122223333|eventName=PutObject"
                        + "|eventSource=s3.amazonaws.com|region=us-east-1")
                .getCount())
        .isEqualTo(1);
  }

  private static CloudTrailEvent event(Instant at, String name, String errorCode, String arn) {
    return CloudTrailEvent.newBuilder()
        .setEventID(UUID.randomUUID().toString())
        .setEventTime(at.toString())
        .setEventTimeMillis(at)
        .setEventSource("s3.amazonaws.com")
        .setEventName(name)
        .setAwsRegion("us-east-1")
        .setRecipientAccountId("111122223333")
        .setErrorCode(errorCode)
        .setUserIdentity(UserIdentity.newBuilder().setType("IAMUser").setArn(arn).build())
        .setRawJson("{}")
        .build();
  }

  private static FlowRecord flow(
      Instant at, String src, String dst, int dstport, String action, long bytes, long packets) {
    return FlowRecord.newBuilder()
        .setRecordRef(UUID.randomUUID().toString())
        .setAccountId("111122223333")
        .setSrcaddr(src)
        .setDstaddr(dst)
        .setSrcport(40000)
        .setDstport(dstport)
        .setProtocol(6)
        .setBytes(bytes)
        .setPackets(packets)
        .setStart(at.getEpochSecond())
        .setEnd(at.getEpochSecond() + 60)
        .setAction(action)
        .setLogStatus("OK")
        .build();
  }
}
