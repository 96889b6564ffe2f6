package io.vigil.benchmarks;

import io.vigil.broker.EmbeddedKafkaBroker;
import io.vigil.broker.EmbeddedKafkaBroker.BrokerSettings;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionObserver;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.DetectionTopology;
import io.vigil.streams.detection.DuplicateEventFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;

/**
 * The end-to-end harness for the detection topology: {@code copies} times the Invictus corpus
 * (unique event ids) is put on the cloudtrail topic, then read (1) by a plain consumer that
 * deserializes every value, the baseline (the fastest of three passes), (2) by an exactly-once
 * Kafka Streams application that only deserializes, (3) by the topology's duplicate filter alone,
 * exactly-once (a store and its changelog: the floor of a stateful application), and (4) by the
 * detection topology with every built-in rule, exactly-once, each until its committed offsets reach
 * the end; with {@code --instances K}, (5) again by K instances of the topology sharing the work
 * (one application, K members of its group, in this JVM, each with its own state directory). Prints
 * events/s of each, the records the topologies wrote per input event, the ratio of K instances to
 * one, and last the ratio of one instance to the plain consumer.
 *
 * <p>On an in-process broker by default (one partition); {@code --bootstrap-servers} uses a cluster
 * instead (for example {@code tools/kafka-cluster/cluster start DIR 3}), with topics of this run's
 * own names, {@code --partitions} each (default 6) and min(3, brokers) replicas. Run from the
 * project root: {@code java -cp benchmarks/target/benchmarks.jar
 * io.vigil.benchmarks.DetectionThroughput [copies] [--bootstrap-servers B] [--partitions P]
 * [--instances K]}. {@code -Dstreams.NAME=VALUE} sets any Kafka Streams setting for the topology
 * (for example {@code -Dstreams.processing.guarantee=at_least_once}), to see what it costs.
 */
public final class DetectionThroughput {

  private static final int PLAIN_PASSES = 3;

  private DetectionThroughput() {}

  /** The command line. */
  record Options(int copies, String bootstrap, int partitions, int instances) {

    static Options parse(String[] args) {
      int copies = 20;
      String bootstrap = null;
      Integer partitions = null;
      int instances = 1;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--bootstrap-servers" -> bootstrap = args[++i];
          case "--partitions" -> partitions = Integer.parseInt(args[++i]);
          case "--instances" -> instances = Integer.parseInt(args[++i]);
          default -> copies = Integer.parseInt(args[i]);
        }
      }
      return new Options(
          copies,
          bootstrap,
          partitions != null ? partitions : bootstrap == null ? 1 : 6,
          instances);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path dataDir = Files.createTempDirectory("vigil-bench-");
    EmbeddedKafkaBroker broker =
        options.bootstrap() == null
            ? EmbeddedKafkaBroker.start(BrokerSettings.forTests(dataDir))
            : null;
    try {
      String bootstrap = broker != null ? broker.bootstrapServers() : options.bootstrap();
      VigilTopics topics = topics(broker != null);
      Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
      int replicas;
      try (Admin admin = Admin.create(client)) {
        replicas = Math.min(3, admin.describeCluster().nodes().get().size());
        List<NewTopic> all = new ArrayList<>();
        topics
            .all()
            .forEach(t -> all.add(new NewTopic(t.name(), options.partitions(), (short) replicas)));
        admin.createTopics(all).all().get();
      }
      List<CloudTrailEvent> events =
          InvictusCorpus.decoded(InvictusCorpus.locate(null), options.copies());
      Topic<String, CloudTrailEvent> cloudtrail = topics.cloudtrail();
      try (KafkaProducer<String, CloudTrailEvent> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 1 << 18),
              cloudtrail.keySerde().serializer(),
              cloudtrail.valueSerde().serializer())) {
        for (CloudTrailEvent event : events) {
          producer.send(new ProducerRecord<>(cloudtrail.name(), event.getEventID(), event));
        }
      }
      int n = events.size();
      System.out.printf(
          "%d events on %s (%d partitions, %d replicas)%n",
          n, cloudtrail.name(), options.partitions(), replicas);

      // The best of three passes: the first is also the JVM's warm-up of consuming and Avro.
      double plain = 0;
      for (int pass = 0; pass < PLAIN_PASSES; pass++) {
        plain = Math.max(plain, plainConsumer(bootstrap, cloudtrail, n));
      }
      System.out.printf(
          "plain consumer (deserializing, best of %d): %.0f events/s%n", PLAIN_PASSES, plain);
      Measured readOnly = streams(bootstrap, topics, n, dataDir, 1, readOnly(topics));
      System.out.printf(
          "an exactly-once application that only deserializes: %.0f events/s"
              + " (%.2f of the plain consumer)%n%s",
          readOnly.rate(), readOnly.rate() / plain, readOnly.written());
      Measured filterAlone =
          streams(bootstrap, topics, n, dataDir, 1, duplicateFilterAlone(topics));
      System.out.printf(
          "the duplicate filter alone (exactly-once, a store and its changelog): %.0f events/s"
              + " (%.2f of the plain consumer)%n%s",
          filterAlone.rate(), filterAlone.rate() / plain, filterAlone.written());
      DetectionEngine engine = DetectionEngine.load(DetectionSettings.DEFAULTS);
      Measured measured = streams(bootstrap, topics, n, dataDir, 1, detection(topics, engine));
      double detection = measured.rate();
      System.out.printf(
          "detection topology (all rules, exactly-once): %.0f events/s%n%s",
          detection, measured.written());
      if (options.instances() > 1) {
        Measured shared =
            streams(bootstrap, topics, n, dataDir, options.instances(), detection(topics, engine));
        System.out.printf(
            "detection topology, %d instances: %.0f events/s%n%s",
            options.instances(), shared.rate(), shared.written());
        System.out.printf(
            "ratio %d instances / 1 instance: %.2f%n",
            options.instances(), shared.rate() / detection);
      }
      System.out.printf("ratio detection / plain consumer: %.2f%n", detection / plain);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  /** The default names on the in-process broker; on a shared cluster, names of this run alone. */
  private static VigilTopics topics(boolean defaults) {
    SerdeFactory serdes = SerdeFactory.fromSettings(Map.of());
    if (defaults) {
      return VigilTopics.defaults(serdes);
    }
    String run = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> names = new HashMap<>();
    VigilTopics.DEFAULT_NAMES.forEach((logical, name) -> names.put(logical, run + name));
    return VigilTopics.create(names, serdes);
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

  /** The detection topology as vigil run builds it, every built-in rule loaded. */
  private static Consumer<StreamsBuilder> detection(VigilTopics topics, DetectionEngine engine) {
    return builder ->
        DetectionTopology.build(
            builder,
            topics,
            engine,
            DetectionSettings.DEFAULTS,
            Optional.empty(),
            DetectionObserver.NONE);
  }

  /** Kafka Streams itself: the events read and deserialized, exactly-once, nothing else done. */
  private static Consumer<StreamsBuilder> readOnly(VigilTopics topics) {
    Topic<String, CloudTrailEvent> cloudtrail = topics.cloudtrail();
    return builder ->
        builder.stream(
                cloudtrail.name(), Consumed.with(cloudtrail.keySerde(), cloudtrail.valueSerde()))
            .foreach((key, event) -> {});
  }

  /**
   * The topology's first step alone, the duplicate filter on CloudTrail: what any exactly-once
   * application with one store pays per event (a store read and write, a changelog record), before
   * any rule.
   */
  private static Consumer<StreamsBuilder> duplicateFilterAlone(VigilTopics topics) {
    Duration retention = DetectionSettings.DEFAULTS.dedupRetention();
    return builder -> {
      builder.addStateStore(
          DetectionTopology.seenStore(DetectionTopology.CLOUDTRAIL_SEEN_STORE, retention));
      Topic<String, CloudTrailEvent> cloudtrail = topics.cloudtrail();
      builder.stream(
              cloudtrail.name(), Consumed.with(cloudtrail.keySerde(), cloudtrail.valueSerde()))
          .process(
              () ->
                  new DuplicateEventFilter<>(
                      DetectionTopology.CLOUDTRAIL_SEEN_STORE,
                      retention,
                      CloudTrailEvent::getEventID),
              DetectionTopology.CLOUDTRAIL_SEEN_STORE);
    };
  }

  /** A topology's events/s, and the lines saying what it wrote per input event, by topic. */
  private record Measured(double rate, String written) {}

  /**
   * Events/s of {@code instances} instances of a topology (a fresh application) reading the topic
   * from its start: timed from when every instance is RUNNING, over what was not yet committed
   * then, until the committed offsets reach the end.
   */
  private static Measured streams(
      String bootstrap,
      VigilTopics topics,
      int n,
      Path dataDir,
      int instances,
      Consumer<StreamsBuilder> topology)
      throws Exception {
    String appId = "bench-detection-" + UUID.randomUUID();
    List<KafkaStreams> running = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      for (int i = 0; i < instances; i++) {
        StreamsBuilder builder = new StreamsBuilder();
        topology.accept(builder);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(
            StreamsConfig.STATE_DIR_CONFIG,
            dataDir.resolve("streams-" + appId + "-" + i).toString());
        props.put("consumer.auto.offset.reset", "earliest");
        // Vigil's default (streams.commit.interval, 250 ms); -Dcommit.interval.ms=100 gives Kafka
        // Streams' exactly-once default, to see what the commits cost.
        props.put(
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.getInteger("commit.interval.ms", 250));
        // As vigil run (StreamsComponent.NO_TASK_IDLING); -Dmax.task.idle.ms=0 gives Kafka's
        // default.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.getLong("max.task.idle.ms", -1));
        // As vigil run (StreamsComponent): stores write to RocksDB with their changelog's commit.
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        // -Dstreams.<name>=<value> sets any other Kafka Streams setting, to see what it costs.
        System.getProperties()
            .stringPropertyNames()
            .forEach(
                name -> {
                  if (name.startsWith("streams.")) {
                    props.put(name.substring("streams.".length()), System.getProperty(name));
                  }
                });
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        running.add(streams);
        streams.start();
      }
      while (running.stream().anyMatch(s -> s.state() != KafkaStreams.State.RUNNING)) {
        Thread.sleep(20);
      }
      long before = committed(admin, appId, topics.cloudtrail().name());
      long start = System.nanoTime();
      while (committed(admin, appId, topics.cloudtrail().name()) < n) {
        Thread.sleep(20);
      }
      double rate = (n - before) / ((System.nanoTime() - start) / 1e9);
      return new Measured(rate, writtenPerEvent(admin, appId, topics, n));
    } finally {
      running.forEach(KafkaStreams::close);
    }
  }

  /**
   * Records the topology wrote per input event, by topic: its changelogs and repartition topics
   * (named after the application) and the alerts (offsets include a transaction marker per commit).
   */
  private static String writtenPerEvent(Admin admin, String appId, VigilTopics topics, int n)
      throws Exception {
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (var description :
        admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
      String name = description.name();
      if (name.startsWith(appId) || name.equals(topics.alerts().name())) {
        description
            .partitions()
            .forEach(p -> ends.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
      }
    }
    Map<String, Long> written = new TreeMap<>();
    admin
        .listOffsets(ends)
        .all()
        .get()
        .forEach((tp, end) -> written.merge(tp.topic(), end.offset(), Long::sum));
    StringBuilder lines = new StringBuilder();
    written.forEach(
        (topic, count) ->
            lines.append(
                String.format(
                    "  written per event: %.2f to %s%n",
                    (double) count / n, topic.replace(appId + "-", ""))));
    return lines.toString();
  }

  /** The application's committed offsets on the topic, summed over its partitions. */
  private static long committed(Admin admin, String appId, String topic) throws Exception {
    long sum = 0;
    for (var entry :
        admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get().entrySet()) {
      if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
        sum += entry.getValue().offset();
      }
    }
    return sum;
  }
}
