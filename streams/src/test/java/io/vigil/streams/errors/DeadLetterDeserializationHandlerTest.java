package io.vigil.streams.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Rejected;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.SourceType;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import io.vigil.streams.events.EventStoreTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationHandlerTest {

  private final VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));

  @Test
  void undecodableRecordGoesToTheDeadLetterTopicWithItsLocationAndTheStreamGoesOn() {
    StreamsBuilder builder = new StreamsBuilder();
    // A real topology with a stream thread: the views' global stores have no producer to send a
    // dead letter with (docs/architecture.md).
    EventStoreTopology.build(builder, topics, Duration.ofDays(1));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-test");
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class);
    props.put(DeadLetterDeserializationHandler.DLQ_TOPIC, topics.dlq().name());
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<byte[], byte[]> events =
          driver.createInputTopic(
              topics.cloudtrail().name(), new ByteArraySerializer(), new ByteArraySerializer());
      Topic<String, Rejected> dlq = topics.dlq();
      TestOutputTopic<String, Rejected> dead =
          driver.createOutputTopic(
              dlq.name(), new StringDeserializer(), dlq.valueSerde().deserializer());

      events.pipeInput(
          "k".getBytes(StandardCharsets.UTF_8), "not avro at all".getBytes(StandardCharsets.UTF_8));

      List<Rejected> rejected = dead.readValuesToList();
      assertThat(rejected).hasSize(1);
      Rejected r = rejected.get(0);
      assertThat(r.getReason()).isEqualTo("deserialization-failed");
      assertThat(r.getSourceType()).isEqualTo(SourceType.stream);
      assertThat(r.getSourceLocation()).isEqualTo(topics.cloudtrail().name() + "/0@0");
      assertThat(StandardCharsets.UTF_8.decode(r.getRaw()).toString()).isEqualTo("not avro at all");
      assertThat(r.getMessage()).isNotBlank();
    }
  }
}
