package io.vigil.streams.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.streams.aws.EventTimeExtractor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The same record gets the same event time in the Kafka Streams topology and in the offline
 * detector of {@code vigil scan}: its own time where it has one, and where it has none, the time
 * the path stands in with (the Kafka record's timestamp, the scan's stream time) when both are the
 * same instant.
 */
class EventTimeParityTest {

  private static final Instant EVENT_TIME = Instant.parse("2026-11-28T10:00:00Z");

  /** When the record reached Kafka, and the scan's stream time: later than the event. */
  private static final Instant ARRIVAL = Instant.parse("2026-11-28T10:07:30Z");

  private static final DetectionSettings SETTINGS =
      DetectionSettings.DEFAULTS.withPlaceholders(
          Map.of("threat_intel.cidrs", List.of("203.0.113.0/24")));
  private static final DetectionEngine ENGINE = DetectionEngine.load(SETTINGS);

  @Test
  void theExtractorAndTheOfflineDetectorAgreeRecordByRecord() {
    EventTimeExtractor extractor = new EventTimeExtractor();
    for (Object value : records()) {
      OfflineDetector offline = offlineAt(ARRIVAL);
      long offlineTime =
          value instanceof CloudTrailEvent e
              ? offline.eventTime(e)
              : offline.eventTime((FlowRecord) value);
      long topologyTime =
          extractor.extract(
              new ConsumerRecord<>(
                  "topic",
                  0,
                  0L,
                  ARRIVAL.toEpochMilli(),
                  TimestampType.CREATE_TIME,
                  0,
                  0,
                  "k",
                  value,
                  new RecordHeaders(),
                  Optional.empty()),
              -1L);
      assertThat(offlineTime).as(String.valueOf(value)).isEqualTo(topologyTime);
    }
  }

  @Test
  void theTopologyStampsAnAlertWithTheTimeTheOfflineDetectorGivesItsFlow() {
    FlowRecord timed = TestEvents.flow(EVENT_TIME, "203.0.113.9", "10.0.0.5", 443, "ACCEPT", 1000);
    FlowRecord untimed =
        FlowRecord.newBuilder(
                TestEvents.flow(EVENT_TIME, "203.0.113.10", "10.0.0.6", 443, "ACCEPT", 1000))
            .setStart(null)
            .build();

    List<Long> topology = topologyAlertTimes(List.of(timed, untimed));

    OfflineDetector offline = offlineAt(ARRIVAL);
    assertThat(topology).containsExactly(offline.eventTime(timed), offline.eventTime(untimed));
    assertThat(topology).containsExactly(EVENT_TIME.toEpochMilli(), ARRIVAL.toEpochMilli());
  }

  private static List<Object> records() {
    CloudTrailEvent event = TestEvents.ct("s3.amazonaws.com", "ListBuckets", EVENT_TIME).build();
    FlowRecord flow = TestEvents.flow(EVENT_TIME, "198.51.100.4", "10.0.0.5", 443, "ACCEPT", 1000);
    return List.of(
        event,
        flow,
        FlowRecord.newBuilder(flow).setStart(null).build(),
        FlowRecord.newBuilder(flow).setStart(0L).build());
  }

  /** An offline detector whose stream time is {@code at}, as after an event of that time. */
  private static OfflineDetector offlineAt(Instant at) {
    OfflineDetector detector = new OfflineDetector(ENGINE, SETTINGS, alert -> {});
    detector.accept(TestEvents.ct("s3.amazonaws.com", "ListBuckets", at).build());
    return detector;
  }

  /**
   * The record timestamps of the alerts the topology raises for flows that reached Kafka at {@link
   * #ARRIVAL}.
   */
  private static List<Long> topologyAlertTimes(List<FlowRecord> flows) {
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    StreamsBuilder builder = new StreamsBuilder();
    DetectionTopology.build(
        builder, topics, ENGINE, SETTINGS, Optional.empty(), new DetectionObserver() {});
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "event-time-parity");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, ARRIVAL)) {
      TestInputTopic<String, FlowRecord> in =
          driver.createInputTopic(
              topics.vpcflow().name(),
              topics.vpcflow().keySerde().serializer(),
              topics.vpcflow().valueSerde().serializer());
      TestOutputTopic<String, Alert> out =
          driver.createOutputTopic(
              topics.alerts().name(),
              topics.alerts().keySerde().deserializer(),
              topics.alerts().valueSerde().deserializer());
      for (FlowRecord flow : flows) {
        in.pipeInput(new TestRecord<>(flow.getSrcaddr(), flow, ARRIVAL));
      }
      List<Long> times = new ArrayList<>();
      out.readRecordsToList().forEach(r -> times.add(r.timestamp()));
      return times;
    }
  }
}
