package io.vigil.app.runtime;

import io.vigil.ingest.publish.UnitPublisher;
import java.util.Optional;

/**
 * An ingest source running as a pipeline component, with the exactly-once publisher it owns. Ready
 * once started, except while the source reports a problem (its queue or stream cannot be read: the
 * reason is the health detail) or its publisher publishes no more (fenced by another instance with
 * the same transactional id); stopping closes the source first (letting the unit in hand commit or
 * abort as a whole), then the publisher.
 */
final class SourceComponent implements PipelineComponent {

  /** The part of a source the runtime needs: start it, ask what keeps it from working, stop it. */
  interface Source extends AutoCloseable {
    void start() throws Exception;

    /** Why the source cannot do its job now (its last poll failed), or empty. */
    default Optional<String> problem() {
      return Optional.empty();
    }

    @Override
    void close();
  }

  private final ComponentKind kind;
  private final Source source;
  private final UnitPublisher publisher;
  private volatile boolean started;

  SourceComponent(ComponentKind kind, Source source, UnitPublisher publisher) {
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
    if (!started) {
      return Health.starting("starting");
    }
    return source
        .problem()
        .or(publisher::problem)
        .map(Health::notReady)
        .orElseGet(() -> Health.ready("running"));
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
