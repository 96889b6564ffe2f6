package io.vigil.streams.detection;

import static io.vigil.streams.detection.TestEvents.ct;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class DetectionObserverTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void theObserverHearsOfEveryAlertPublicationThatReachesTheAlertsTopic() {
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    List<Alert> observed = new CopyOnWriteArrayList<>();
    StreamsBuilder builder = new StreamsBuilder();
    DetectionTopology.build(
        builder,
        topics,
        DetectionEngine.load(DetectionSettings.DEFAULTS),
        DetectionSettings.DEFAULTS,
        Optional.empty(),
        new DetectionObserver() {
          @Override
          public void alertPublished(Alert alert) {
            observed.add(alert);
          }
        });
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detection-observer-test");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, T0)) {
      TestInputTopic<String, CloudTrailEvent> in =
          driver.createInputTopic(
              topics.cloudtrail().name(),
              topics.cloudtrail().keySerde().serializer(),
              topics.cloudtrail().valueSerde().serializer());
      // Root use twice, two minutes apart: a new alert, then (after the update interval) its
      // update.
      for (Instant at : List.of(T0, T0.plus(Duration.ofMinutes(2)))) {
        CloudTrailEvent event =
            ct("iam.amazonaws.com", "ListUsers", at)
                .identity("Root", "arn:aws:iam::111122223333:root")
                .build();
        in.pipeInput(event.getEventID(), event, at);
      }
      List<Alert> published =
          driver
              .createOutputTopic(
                  topics.alerts().name(),
                  topics.alerts().keySerde().deserializer(),
                  topics.alerts().valueSerde().deserializer())
              .readValuesToList();

      assertThat(published).extracting(Alert::getUpdate).containsExactly(0, 1);
      assertThat(observed).containsExactlyElementsOf(published);
    }
  }
}
