package io.vigil.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.Severity;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The views every instance holds whole: alerts by dedup key, posture by ARN. */
class AlertViewTopologyTest {

  private final VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
  private TopologyTestDriver driver;
  private TestInputTopic<String, Alert> alerts;

  @BeforeEach
  void buildTheRealTopology() {
    StreamsBuilder builder = new StreamsBuilder();
    AlertViewTopology.build(builder, topics);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alert-view-test");
    driver = new TopologyTestDriver(builder.build(), props);
    Topic<String, Alert> topic = topics.alerts();
    alerts =
        driver.createInputTopic(
            topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void keepsTheLatestUpdateOfEachAlertByDedupKey() {
    alerts.pipeInput("root|111122223333", alert("root|111122223333", 1, 0));
    alerts.pipeInput("scan|10.0.0.5", alert("scan|10.0.0.5", 20, 0));
    alerts.pipeInput("root|111122223333", alert("root|111122223333", 3, 1));

    KeyValueStore<String, Alert> store = driver.getKeyValueStore(AlertViewTopology.STORE);
    assertThat(store.get("root|111122223333").getCount()).isEqualTo(3);
    assertThat(store.get("root|111122223333").getUpdate()).isEqualTo(1);
    assertThat(store.get("scan|10.0.0.5").getCount()).isEqualTo(20);
    try (var all = store.all()) {
      assertThat(all).toIterable().hasSize(2);
    }
  }

  @Test
  void tombstoneRemovesTheAlert() {
    alerts.pipeInput("root|111122223333", alert("root|111122223333", 1, 0));
    alerts.pipeInput("root|111122223333", (Alert) null);

    KeyValueStore<String, Alert> store = driver.getKeyValueStore(AlertViewTopology.STORE);
    assertThat(store.get("root|111122223333")).isNull();
  }

  @Test
  void keepsTheLatestPostureOfEachResourceAndForgetsOneOnItsTombstone() {
    Topic<String, ResourceState> topic = topics.posture();
    TestInputTopic<String, ResourceState> posture =
        driver.createInputTopic(
            topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    posture.pipeInput("arn:aws:s3:::a", bucket("arn:aws:s3:::a", List.of("posture-s3-public")));
    posture.pipeInput("arn:aws:s3:::b", bucket("arn:aws:s3:::b", List.of()));
    posture.pipeInput("arn:aws:s3:::a", bucket("arn:aws:s3:::a", List.of()));
    posture.pipeInput("arn:aws:s3:::b", (ResourceState) null);

    KeyValueStore<String, ResourceState> store =
        driver.getKeyValueStore(AlertViewTopology.POSTURE_STORE);
    assertThat(store.get("arn:aws:s3:::a").getFailingControls()).isEmpty();
    assertThat(store.get("arn:aws:s3:::b")).isNull();
  }

  private static ResourceState bucket(String arn, List<String> failing) {
    return ResourceState.newBuilder()
        .setArn(arn)
        .setResourceType("AWS::S3::Bucket")
        .setAccountId("111122223333")
        .setRegion("us-east-1")
        .setAttributes(Map.of())
        .setFailingControls(failing)
        .setEstablishedByEventIds(List.of("e1"))
        .setUpdatedAt(java.time.Instant.parse("2026-11-28T10:00:00Z"))
        .setDeleted(false)
        .build();
  }

  private static Alert alert(String dedupKey, long count, int update) {
    return Alert.newBuilder()
        .setAlertId("a-" + dedupKey)
        .setRuleId("aws-root-account-usage")
        .setTitle("Root account used")
        .setSeverity(Severity.high)
        .setEntity(dedupKey.substring(dedupKey.indexOf('|') + 1))
        .setFirstSeen("2026-11-28T10:00:00Z")
        .setLastSeen("2026-11-28T10:05:00Z")
        .setCount(count)
        .setEventIds(List.of("e-" + count))
        .setDedupKey(dedupKey)
        .setUpdate(update)
        .setSource(AlertSource.cloudtrail)
        .build();
  }
}
