package io.vigil.app.runtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.ConfiguredSinks;
import io.vigil.app.config.VigilConfig;
import io.vigil.sinks.SinkDefinition;
import io.vigil.sinks.SinkDefinitions;
import io.vigil.sinks.SinksService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The alert sinks as a pipeline component: each configured sink with its own consumer, retries and
 * dead letters ({@link SinksService}). Ready while every sink is running or retrying; alive unless
 * one failed for good. With no {@code sinks} configured, {@code vigil run} on the embedded broker
 * prints alerts on stdout, so that a new user sees them; with a real cluster, no sinks means none.
 */
public final class SinksComponent implements PipelineComponent {

  private final List<SinkDefinition> definitions;
  private final PipelineContext context;
  private volatile SinksService service;

  private SinksComponent(List<SinkDefinition> definitions, PipelineContext context) {
    this.definitions = definitions;
    this.context = context;
  }

  static Optional<PipelineComponent> create(PipelineContext context) {
    List<SinkDefinition> definitions = definitions(context.config(), context.kafka().embedded());
    return definitions.isEmpty()
        ? Optional.empty()
        : Optional.of(new SinksComponent(definitions, context));
  }

  /**
   * The configured sinks; a stdout sink by default on the embedded broker.
   *
   * @throws io.vigil.app.config.ConfigException when a sink refers to an environment variable that
   *     is not set
   */
  public static List<SinkDefinition> definitions(VigilConfig config, boolean embedded) {
    Optional<ConfiguredSinks> configured = config.find(ConfigKeys.SINKS);
    if (configured.isPresent()) {
      return configured.get().definitions();
    }
    if (!embedded) {
      return List.of();
    }
    return SinkDefinitions.parse(
        JsonNodeFactory.instance
            .arrayNode()
            .add(
                JsonNodeFactory.instance.objectNode().put("type", "stdout").put("name", "console")),
        Map.of());
  }

  @Override
  public ComponentKind kind() {
    return ComponentKind.SINKS;
  }

  @Override
  public void start() {
    service =
        SinksService.start(
            definitions,
            context.kafka().clientProperties(),
            context.topics(),
            context.config().get(ConfigKeys.STREAMS_APPLICATION_ID),
            context.metrics(),
            SinksService.Options.defaults()
                .withGroupInstanceId(context.kafka().groupInstance().orElse(null))
                .withWorkflows(context.workflows()));
  }

  @Override
  public Health health() {
    SinksService s = service;
    if (s == null) {
      return Health.starting("starting");
    }
    String detail =
        s.health().values().stream()
            .map(h -> h.name() + ":" + h.state())
            .collect(Collectors.joining(" "));
    return new Health(s.ready(), s.alive(), detail);
  }

  @Override
  public void close() {
    if (service != null) {
      service.close();
    }
  }
}
