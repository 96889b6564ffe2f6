package io.vigil.app.runtime;

import io.vigil.ingest.publish.TransactionalUnitPublisher;

/**
 * An ingest source running as a pipeline component, with the exactly-once publisher it owns. Ready
 * once started; stopping closes the source first (letting the unit in hand commit or abort as a
 * whole), then the publisher.
 */
final class SourceComponent implements PipelineComponent {

  /** The part of a source the runtime needs: start it, stop it. */
  interface Source extends AutoCloseable {
    void start() throws Exception;

    @Override
    void close();
  }

  private final ComponentKind kind;
  private final Source source;
  private final TransactionalUnitPublisher publisher;
  private volatile boolean started;

  SourceComponent(ComponentKind kind, Source source, TransactionalUnitPublisher publisher) {
    this.kind = kind;
    this.source = source;
    this.publisher = publisher;
  }

  @Override
  public ComponentKind kind() {
    return kind;
  }

  @Override
  public void start() throws Exception {
    source.start();
    started = true;
  }

  @Override
  public Health health() {
    return started ? Health.ready("running") : Health.starting("starting");
  }

  @Override
  public void close() {
    try {
      source.close();
    } finally {
      publisher.close();
    }
  }
}
