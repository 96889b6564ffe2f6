package io.vigil.deploy.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vigil.deploy.config.ConfigKeys;
import io.vigil.schemas.RuleMatch;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.DetectionTopology;
import io.vigil.streams.posture.PostureTopology;
import org.apache.kafka.streams.kstream.KStream;
import io.vigil.streams.aggregates.AggregateSettings;
import io.vigil.streams.aggregates.AggregatesTopology;
import io.vigil.streams.alerts.AlertViewTopology;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * The components {@code vigil run} starts, in start order. This list is the extension point: a new
 * part of the pipeline adds one factory here, under its component's name, and that name to
 * {@link ConfigKeys#RUN_COMPONENT_NAMES} (so that {@code run.components} can choose it); it
 * touches nothing else in the runtime.
 */
public final class PipelineComponents {

  private PipelineComponents() {
  }

  public static List<PipelineComponentFactory> all() {
    return List.copyOf(byName().values());
  }

  /**
   * Every factory under the name of the component it makes, each switched off unless
   * {@code run.components} names it; the names are {@link ConfigKeys#RUN_COMPONENT_NAMES}.
   */
  static Map<String, PipelineComponentFactory> byName() {
    Map<String, PipelineComponentFactory> factories = new LinkedHashMap<>();
    factories.put("detection", PipelineComponents::detection);
    factories.put("aggregates", PipelineComponents::aggregates);
    factories.put("alert-view", PipelineComponents::alertView);
    factories.put("file-inbox", IngestComponents::fileInbox);
    factories.put("s3-notifications", IngestComponents::s3Notifications);
    factories.put("kinesis", IngestComponents::kinesis);
    factories.put("sinks", SinksComponent::create);
    factories.replaceAll(PipelineComponents::onlyWhenListed);
    return factories;
  }

  // Gated before the factory runs, not after: a factory already opens clients (a transactional
  // producer, AWS clients) that a process without that role must not hold.
  private static PipelineComponentFactory onlyWhenListed(String name, PipelineComponentFactory factory) {
    return context -> context.config().get(ConfigKeys.RUN_COMPONENTS).contains(name)
        ? factory.create(context) : Optional.empty();
  }

  /**
   * Detection and posture in one Kafka Streams application: the posture findings join the
   * detections' alert path, so that both share suppression and dedup keys.
   */
  static Optional<PipelineComponent> detection(PipelineContext context) {
    var config = context.config();
    DetectionSettings settings = DetectionConfig.settings(config, List.of());
    ThreatIntelReloader engines = new ThreatIntelReloader(DetectionEngine.load(settings),
        config.get(ConfigKeys.THREAT_INTEL_FILES).stream().map(java.nio.file.Path::of).toList(),
        () -> DetectionEngine.load(DetectionConfig.settings(config, List.of())),
        config.get(ConfigKeys.THREAT_INTEL_RELOAD_INTERVAL));
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, RuleMatch> findings = PostureTopology.build(builder, context.topics(), DetectionConfig.posture(config));
    DetectionTopology.build(builder, context.topics(), engines.current(), settings, Optional.of(findings),
        new DetectionMetrics(context.metrics()));
    String name = "detection";
    return Optional.of(new StreamsComponent(name, builder.build(), StreamsComponent.properties(name, context), context)
        .alsoClosing(engines));
  }

  /** Windowed counts, sums and top-N lists over CloudTrail and flow records. */
  static Optional<PipelineComponent> aggregates(PipelineContext context) {
    var config = context.config();
    StreamsBuilder builder = new StreamsBuilder();
    AggregatesTopology.build(builder, context.topics(), new AggregateSettings(
        config.get(ConfigKeys.AGGREGATES_WINDOWS), config.get(ConfigKeys.AGGREGATES_GRACE),
        config.get(ConfigKeys.AGGREGATES_TOP_N)));
    String name = "aggregates";
    return Optional.of(new StreamsComponent(name, builder.build(), StreamsComponent.properties(name, context), context));
  }

  /** The latest state of every alert, queryable by dedup key (feeds the console and the API). */
  static Optional<PipelineComponent> alertView(PipelineContext context) {
    StreamsBuilder builder = new StreamsBuilder();
    AlertViewTopology.build(builder, context.topics());
    String name = "alert-view";
    return Optional.of(new StreamsComponent(name, builder.build(),
        StreamsComponent.properties(name, context), context));
  }
}
