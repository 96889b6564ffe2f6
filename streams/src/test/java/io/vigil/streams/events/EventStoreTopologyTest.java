package io.vigil.streams.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.Topic;
import io.vigil.schemas.UserIdentity;
import io.vigil.schemas.VigilTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events kept behind the alerts, on the real topology: by id, and by principal in a window. */
class EventStoreTopologyTest {

  private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private final VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
  private TopologyTestDriver driver;
  private TestInputTopic<String, CloudTrailEvent> events;

  @BeforeEach
  void build() {
    StreamsBuilder builder = new StreamsBuilder();
    EventStoreTopology.build(builder, topics, Duration.ofDays(1));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "events-test");
    driver = new TopologyTestDriver(builder.build(), props);
    Topic<String, CloudTrailEvent> topic = topics.cloudtrail();
    events =
        driver.createInputTopic(
            topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void eachEventIsKeptAsWrittenByItsIdAndUnderItsPrincipal() {
    pipe("e1", ALICE, "203.0.113.7", T0);
    pipe("e2", ALICE, "203.0.113.7", T0.plusSeconds(60));
    pipe("e3", ALICE, "203.0.113.7", T0.plusSeconds(3600));
    pipe("e4", null, "198.51.100.9", T0.plusSeconds(30));

    WindowStore<String, String> byId = driver.getWindowStore(EventStoreTopology.BY_ID);
    assertThat(values(byId.fetch("e2", T0, T0.plusSeconds(120))))
        .containsExactly("{\"eventID\":\"e2\"}");

    WindowStore<String, String> byEntity = driver.getWindowStore(EventStoreTopology.BY_ENTITY);
    assertThat(values(byEntity.fetch(ALICE, T0, T0.plusSeconds(120))))
        .as("the principal's events in the window, both kept at their own times")
        .containsExactly("{\"eventID\":\"e1\"}", "{\"eventID\":\"e2\"}");
    assertThat(values(byEntity.fetch("198.51.100.9", T0, T0.plusSeconds(120))))
        .as("an event without a principal is filed under its source address")
        .containsExactly("{\"eventID\":\"e4\"}");
  }

  private void pipe(String id, String arn, String address, Instant at) {
    CloudTrailEvent.Builder event =
        CloudTrailEvent.newBuilder()
            .setEventID(id)
            .setEventTime(at.toString())
            .setEventTimeMillis(at)
            .setEventSource("s3.amazonaws.com")
            .setEventName("GetObject")
            .setAwsRegion("us-east-1")
            .setRecipientAccountId("111122223333")
            .setSourceIPAddress(address)
            .setRawJson("{\"eventID\":\"" + id + "\"}");
    if (arn != null) {
      event.setUserIdentity(UserIdentity.newBuilder().setType("IAMUser").setArn(arn).build());
    }
    events.pipeInput(id, event.build(), at);
  }

  private static List<String> values(WindowStoreIterator<String> found) {
    List<String> values = new ArrayList<>();
    try (found) {
      found.forEachRemaining(kv -> values.add(kv.value));
    }
    return values;
  }
}
