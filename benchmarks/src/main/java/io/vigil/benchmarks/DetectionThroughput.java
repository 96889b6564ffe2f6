package io.vigil.benchmarks;

import io.vigil.broker.EmbeddedKafkaBroker;
import io.vigil.broker.EmbeddedKafkaBroker.BrokerSettings;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionObserver;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.DetectionTopology;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The end-to-end harness for the detection topology: on an in-process broker, {@code events}
 * CloudTrail events (the Invictus corpus repeated with unique ids) are put on the cloudtrail topic,
 * then read (1) by a plain consumer that deserializes every value, the baseline, and (2) by the
 * detection topology with every built-in rule, exactly-once, until its committed offset reaches the
 * end. Prints events/s of both and the ratio; run from the project root: {@code java -cp
 * benchmarks/target/benchmarks.jar io.vigil.benchmarks.DetectionThroughput [copies]}.
 */
public final class DetectionThroughput {

  private DetectionThroughput() {}

  public static void main(String[] args) throws Exception {
    int copies = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path dataDir = Files.createTempDirectory("vigil-bench-");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.forTests(dataDir))) {
      VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
      Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
      try (Admin admin = Admin.create(client)) {
        List<NewTopic> all = new ArrayList<>();
        topics.all().forEach(t -> all.add(new NewTopic(t.name(), 1, (short) 1)));
        admin.createTopics(all).all().get();
      }
      List<CloudTrailEvent> events = decode(copies);
      Topic<String, CloudTrailEvent> cloudtrail = topics.cloudtrail();
      try (KafkaProducer<String, CloudTrailEvent> producer =
          new KafkaProducer<>(
              Map.of(
                  "bootstrap.servers",
                  broker.bootstrapServers(),
                  "linger.ms",
                  20,
                  "batch.size",
                  1 << 18),
              cloudtrail.keySerde().serializer(),
              cloudtrail.valueSerde().serializer())) {
        for (CloudTrailEvent event : events) {
          producer.send(new ProducerRecord<>(cloudtrail.name(), event.getEventID(), event));
        }
      }
      int n = events.size();
      System.out.printf("%d events on %s (1 partition)%n", n, cloudtrail.name());

      double plain = plainConsumer(broker.bootstrapServers(), cloudtrail, n);
      double detection = detection(broker.bootstrapServers(), topics, n, dataDir);
      System.out.printf("plain consumer (deserializing): %.0f events/s%n", plain);
      System.out.printf("detection topology (all rules, exactly-once): %.0f events/s%n", detection);
      System.out.printf("ratio detection / plain consumer: %.2f%n", detection / plain);
    }
  }

  private static List<CloudTrailEvent> decode(int copies) throws Exception {
    byte[] gz =
        InvictusCorpus.recordsGzip(InvictusCorpus.events(InvictusCorpus.locate(null), copies));
    List<CloudTrailEvent> events = new ArrayList<>();
    new AwsLogDecoder()
        .decode(
            new ByteArrayInputStream(gz),
            SourceRef.s3("bench", "x.json.gz"),
            new DecodeListener() {
              @Override
              public void cloudTrail(CloudTrailEvent event, String position) {
                events.add(event);
              }

              @Override
              public void flow(FlowRecord record, String position) {}

              @Override
              public void rejected(Rejected rejected) {
                throw new IllegalStateException("corpus event rejected: " + rejected.getMessage());
              }
            });
    return events;
  }

  private static double plainConsumer(
      String bootstrap, Topic<String, CloudTrailEvent> topic, int n) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", "bench-plain-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("isolation.level", "read_committed");
    var deserializer = topic.valueSerde().deserializer();
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long start = 0;
      while (count < n) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          if (start == 0) {
            start = System.nanoTime();
          }
          deserializer.deserialize(topic.name(), record.value());
          count++;
        }
      }
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double detection(String bootstrap, VigilTopics topics, int n, Path dataDir)
      throws Exception {
    DetectionEngine engine = DetectionEngine.load(DetectionSettings.DEFAULTS);
    StreamsBuilder builder = new StreamsBuilder();
    DetectionTopology.build(
        builder,
        topics,
        engine,
        DetectionSettings.DEFAULTS,
        Optional.empty(),
        DetectionObserver.NONE);
    Properties props = new Properties();
    String appId = "bench-detection-" + UUID.randomUUID();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("streams").toString());
    props.put("consumer.auto.offset.reset", "earliest");
    // Vigil's default (streams.commit.interval, 250 ms); -Dcommit.interval.ms=100 gives Kafka
    // Streams'
    // exactly-once default, to see what the commits cost.
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.getInteger("commit.interval.ms", 250));
    // As vigil run (StreamsComponent.NO_TASK_IDLING); -Dmax.task.idle.ms=0 gives Kafka's default.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.getLong("max.task.idle.ms", -1));
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      streams.start();
      while (streams.state() != KafkaStreams.State.RUNNING) {
        Thread.sleep(20);
      }
      long start = System.nanoTime();
      TopicPartition partition = new TopicPartition(topics.cloudtrail().name(), 0);
      while (true) {
        var offsets = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
        var committed = offsets.get(partition);
        if (committed != null && committed.offset() >= n) {
          return n / ((System.nanoTime() - start) / 1e9);
        }
        Thread.sleep(20);
      }
    }
  }
}
