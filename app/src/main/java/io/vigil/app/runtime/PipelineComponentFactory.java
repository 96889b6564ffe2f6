package io.vigil.app.runtime;

import java.util.Optional;

/**
 * Builds one {@link PipelineComponent} from the shared {@link PipelineContext}, or nothing when the
 * configuration turns it off.
 */
@FunctionalInterface
public interface PipelineComponentFactory {

  Optional<PipelineComponent> create(PipelineContext context);
}
