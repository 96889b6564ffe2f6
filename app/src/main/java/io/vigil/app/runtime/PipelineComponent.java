package io.vigil.app.runtime;

/**
 * One independently started part of the running pipeline: a Kafka Streams application, an ingest
 * source, a sink. This is the runtime's only extension point: a later feature adds a {@link
 * ComponentKind} and its {@link PipelineComponentFactory} to {@link PipelineComponents} and never
 * reaches into another component.
 */
public interface PipelineComponent extends AutoCloseable {

  /** What this component is; other code finds it by this, never by its name. */
  ComponentKind kind();

  /**
   * A short, stable name for logs and health output ({@code detection}, {@code sinks}): the kind's.
   */
  default String name() {
    return kind().configName();
  }

  /** Starts the component; returns once it is started, not necessarily ready. */
  void start() throws Exception;

  /** Whether the component is doing its job now; {@code /ready} answers 200 only when all are. */
  Health health();

  /** Stops the component, waiting at most until it is stopped; must be idempotent. */
  @Override
  void close();
}
