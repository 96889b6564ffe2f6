package io.vigil.streams.detection;

import io.vigil.schemas.Alert;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Feeds events to detection and collects its alerts, either through the real Kafka Streams topology
 * ({@link #topology}, on TopologyTestDriver) or through the offline detector of {@code vigil scan}
 * ({@link #offline}), fed events or events with their evaluations: the scenario tests run on all of
 * them, so that all keep the same semantics.
 */
interface DetectionRunner extends AutoCloseable {

  void cloudTrail(CloudTrailEvent event);

  void flow(FlowRecord record);

  /** A dead letter of the decoders (the topology reads them from {@code vigil.dlq}). */
  void rejected(Rejected rejected);

  /** Lets held-back alert updates out (the topology's punctuation, the scan's end). */
  void flush();

  /** The alerts emitted since the last call. */
  List<Alert> alerts();

  long lateEvents();

  @Override
  void close();

  /**
   * The runner of a kind the scenario tests are parameterised by: {@code topology}, {@code scan}
   * (the offline detector fed events) or {@code scan-pre-evaluated} (fed events evaluated
   * beforehand, as the parallel scan does).
   */
  static DetectionRunner of(String kind, DetectionEngine engine, DetectionSettings settings) {
    return switch (kind) {
      case "topology" -> topology(engine, settings);
      case "scan" -> offline(engine, settings, false);
      case "scan-pre-evaluated" -> offline(engine, settings, true);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  static DetectionRunner topology(DetectionEngine engine, DetectionSettings settings) {
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    AtomicLong late = new AtomicLong();
    StreamsBuilder builder = new StreamsBuilder();
    DetectionTopology.build(
        builder,
        topics,
        engine,
        settings,
        Optional.empty(),
        new DetectionObserver() {
          @Override
          public void lateEvents(long count) {
            late.addAndGet(count);
          }
        });
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detection-test");
    TopologyTestDriver driver =
        new TopologyTestDriver(
            builder.build(), props, java.time.Instant.parse("2026-01-01T00:00:00Z"));
    TestInputTopic<String, CloudTrailEvent> ct =
        driver.createInputTopic(
            topics.cloudtrail().name(),
            topics.cloudtrail().keySerde().serializer(),
            topics.cloudtrail().valueSerde().serializer());
    TestInputTopic<String, FlowRecord> flows =
        driver.createInputTopic(
            topics.vpcflow().name(),
            topics.vpcflow().keySerde().serializer(),
            topics.vpcflow().valueSerde().serializer());
    TestInputTopic<String, Rejected> dlq =
        driver.createInputTopic(
            topics.dlq().name(),
            topics.dlq().keySerde().serializer(),
            topics.dlq().valueSerde().serializer());
    TestOutputTopic<String, Alert> out =
        driver.createOutputTopic(
            topics.alerts().name(),
            topics.alerts().keySerde().deserializer(),
            topics.alerts().valueSerde().deserializer());
    return new DetectionRunner() {
      @Override
      public void cloudTrail(CloudTrailEvent event) {
        ct.pipeInput(event.getEventID(), event);
      }

      @Override
      public void flow(FlowRecord record) {
        flows.pipeInput(record.getSrcaddr(), record);
      }

      @Override
      public void rejected(Rejected rejected) {
        dlq.pipeInput(rejected.getSourceLocation(), rejected);
      }

      @Override
      public void flush() {
        driver.advanceWallClockTime(Duration.ofMinutes(1));
      }

      @Override
      public List<Alert> alerts() {
        return out.readValuesToList();
      }

      @Override
      public long lateEvents() {
        return late.get();
      }

      @Override
      public void close() {
        driver.close();
      }

      @Override
      public String toString() {
        return "topology";
      }
    };
  }

  static DetectionRunner offline(DetectionEngine engine, DetectionSettings settings) {
    return offline(engine, settings, false);
  }

  /**
   * The offline detector; with {@code preEvaluated}, every event is evaluated first (duplicates
   * too) and handed over with its evaluation, as {@code vigil scan --threads N} does.
   */
  static DetectionRunner offline(
      DetectionEngine engine, DetectionSettings settings, boolean preEvaluated) {
    List<Alert> emitted = new ArrayList<>();
    OfflineDetector detector = new OfflineDetector(engine, settings, emitted::add);
    return new DetectionRunner() {
      @Override
      public void cloudTrail(CloudTrailEvent event) {
        if (preEvaluated) {
          detector.accept(event, engine.evaluate(event));
        } else {
          detector.accept(event);
        }
      }

      @Override
      public void flow(FlowRecord record) {
        if (preEvaluated) {
          detector.accept(record, engine.evaluate(record));
        } else {
          detector.accept(record);
        }
      }

      @Override
      public void rejected(Rejected rejected) {
        detector.accept(rejected);
      }

      @Override
      public void flush() {
        detector.finish();
      }

      @Override
      public List<Alert> alerts() {
        List<Alert> copy = List.copyOf(emitted);
        emitted.clear();
        return copy;
      }

      @Override
      public long lateEvents() {
        return detector.lateEvents();
      }

      @Override
      public void close() {}

      @Override
      public String toString() {
        return preEvaluated ? "scan-pre-evaluated" : "scan";
      }
    };
  }
}
