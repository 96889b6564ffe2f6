package io.vigil.sinks;

import io.vigil.schemas.Aggregate;
import io.vigil.schemas.Alert;
import io.vigil.schemas.TriageChange;
import io.vigil.sinks.delivery.Sink;
import java.util.List;

/**
 * The validated, type-specific settings of one sink (one implementation per sink type), able to
 * open the sink they describe.
 */
public interface SinkConfig {

  /**
   * Opens the sink of alerts, or returns {@code null} when this sink takes no alerts; the caller
   * closes it.
   */
  Sink<Alert> open(SinkContext context) throws Exception;

  /**
   * Opens the sink of aggregates when this sink takes them (only the archive does); {@code null}
   * otherwise. The caller closes it.
   */
  default Sink<Aggregate> openAggregates(SinkContext context) throws Exception {
    return null;
  }

  /**
   * Opens the sink of triage changes when this sink follows triage (PagerDuty acknowledges and
   * resolves what it paged); {@code null} otherwise. The caller closes it.
   */
  default Sink<TriageChange> openTriage(SinkContext context) throws Exception {
    return null;
  }

  /** The secrets among these settings, so that error messages can be scrubbed of them. */
  default List<Secret> secrets() {
    return List.of();
  }
}
