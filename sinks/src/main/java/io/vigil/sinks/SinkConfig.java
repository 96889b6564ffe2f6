package io.vigil.sinks;

import java.util.List;

import io.vigil.sinks.delivery.Sink;

/**
 * The validated, type-specific settings of one sink (one implementation per sink type), able to
 * open the sink they describe.
 */
public interface SinkConfig {

  /** Opens the sink; the caller closes it. */
  Sink open(SinkContext context) throws Exception;

  /** The secrets among these settings, so that error messages can be scrubbed of them. */
  default List<Secret> secrets() {
    return List.of();
  }
}
