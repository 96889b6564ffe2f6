package io.vigil.app.runtime;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.schemas.RuleMatch;
import io.vigil.streams.aggregates.AggregateSettings;
import io.vigil.streams.aggregates.AggregatesTopology;
import io.vigil.streams.alerts.AlertViewTopology;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.DetectionTopology;
import io.vigil.streams.events.EventStoreTopology;
import io.vigil.streams.posture.PostureTopology;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The components {@code vigil run} starts, in start order. This list is the extension point: a new
 * part of the pipeline adds its {@link ComponentKind}, one factory here under that kind, and the
 * kind's name to {@link ConfigKeys#RUN_COMPONENT_NAMES} (so that {@code run.components} can choose
 * it); it touches nothing else in the runtime.
 */
public final class PipelineComponents {

  private PipelineComponents() {}

  public static List<PipelineComponentFactory> all() {
    return List.copyOf(byKind().values());
  }

  /**
   * Finds, before anything starts, the configuration errors that the components {@code
   * run.components} lists would otherwise meet only once the broker is up: a sink whose {@code
   * ${NAME}} variable is not set, a threat-intelligence file that cannot be read or parsed, a rule
   * that does not load.
   *
   * @throws io.vigil.app.config.ConfigException naming each problem's key and where it was set
   */
  public static void checkConfiguration(VigilConfig config) {
    Set<ComponentKind> components = ComponentKind.listed(config);
    if (components.contains(ComponentKind.SINKS)) {
      SinksComponent.definitions(config, config.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS).isEmpty());
    }
    if (components.contains(ComponentKind.DETECTION)) {
      DetectionConfig.engine(config, DetectionConfig.settings(config, List.of()), List.of());
    }
  }

  /**
   * Every factory under the kind of component it makes, in start order (the kinds' order), each
   * switched off unless {@code run.components} names its kind.
   */
  static Map<ComponentKind, PipelineComponentFactory> byKind() {
    Map<ComponentKind, PipelineComponentFactory> factories = new EnumMap<>(ComponentKind.class);
    factories.put(ComponentKind.DETECTION, PipelineComponents::detection);
    factories.put(ComponentKind.AGGREGATES, PipelineComponents::aggregates);
    factories.put(ComponentKind.ALERT_VIEW, PipelineComponents::alertView);
    factories.put(ComponentKind.EVENTS, PipelineComponents::events);
    factories.put(ComponentKind.FILE_INBOX, IngestComponents::fileInbox);
    factories.put(ComponentKind.S3_NOTIFICATIONS, IngestComponents::s3Notifications);
    factories.put(ComponentKind.KINESIS, IngestComponents::kinesis);
    factories.put(ComponentKind.SINKS, SinksComponent::create);
    factories.replaceAll(PipelineComponents::onlyWhenListed);
    return factories;
  }

  // Gated before the factory runs, not after: a factory already opens clients (a transactional
  // producer, AWS clients) that a process without that role must not hold.
  private static PipelineComponentFactory onlyWhenListed(
      ComponentKind kind, PipelineComponentFactory factory) {
    return context ->
        ComponentKind.listed(context.config()).contains(kind)
            ? factory.create(context)
            : Optional.empty();
  }

  /**
   * Detection and posture in one Kafka Streams application: the posture findings join the
   * detections' alert path, so that both share suppression and dedup keys.
   */
  static Optional<PipelineComponent> detection(PipelineContext context) {
    var config = context.config();
    DetectionSettings settings = DetectionConfig.settings(config, List.of());
    ThreatIntelReloader engines =
        new ThreatIntelReloader(
            DetectionConfig.engine(config, settings, List.of()),
            config.get(ConfigKeys.THREAT_INTEL_FILES).stream().map(java.nio.file.Path::of).toList(),
            () ->
                DetectionConfig.engine(
                    config, DetectionConfig.settings(config, List.of()), List.of()),
            config.get(ConfigKeys.THREAT_INTEL_RELOAD_INTERVAL));
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, RuleMatch> findings =
        PostureTopology.build(builder, context.topics(), DetectionConfig.posture(config));
    DetectionTopology.build(
        builder,
        context.topics(),
        engines.current(),
        settings,
        Optional.of(findings),
        new DetectionMetrics(context.metrics()),
        context.mutes());
    ComponentKind kind = ComponentKind.DETECTION;
    return Optional.of(
        new StreamsComponent(
                kind, builder.build(), StreamsComponent.properties(kind, context), context)
            .alsoClosing(engines));
  }

  /** Windowed counts, sums and top-N lists over CloudTrail and flow records. */
  static Optional<PipelineComponent> aggregates(PipelineContext context) {
    var config = context.config();
    StreamsBuilder builder = new StreamsBuilder();
    AggregatesTopology.build(
        builder,
        context.topics(),
        new AggregateSettings(
            config.get(ConfigKeys.AGGREGATES_WINDOWS),
            config.get(ConfigKeys.AGGREGATES_GRACE),
            config.get(ConfigKeys.AGGREGATES_TOP_N)));
    ComponentKind kind = ComponentKind.AGGREGATES;
    return Optional.of(
        new StreamsComponent(
            kind, builder.build(), StreamsComponent.properties(kind, context), context));
  }

  /** The latest state of every alert, queryable by dedup key (feeds the console and the API). */
  /** The events behind the alerts, when {@code events.retention} asks for them. */
  static Optional<PipelineComponent> events(PipelineContext context) {
    Optional<Duration> retention = context.config().find(ConfigKeys.EVENTS_RETENTION);
    if (retention.isEmpty()) {
      return Optional.empty();
    }
    StreamsBuilder builder = new StreamsBuilder();
    EventStoreTopology.build(builder, context.topics(), retention.get());
    ComponentKind kind = ComponentKind.EVENTS;
    return Optional.of(
        new StreamsComponent(
            kind, builder.build(), StreamsComponent.properties(kind, context), context));
  }

  static Optional<PipelineComponent> alertView(PipelineContext context) {
    StreamsBuilder builder = new StreamsBuilder();
    AlertViewTopology.build(builder, context.topics());
    ComponentKind kind = ComponentKind.ALERT_VIEW;
    return Optional.of(
        new StreamsComponent(
            kind, builder.build(), StreamsComponent.properties(kind, context), context));
  }
}
