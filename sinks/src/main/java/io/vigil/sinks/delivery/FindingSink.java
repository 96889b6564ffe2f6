package io.vigil.sinks.delivery;

import io.vigil.schemas.Alert;
import io.vigil.sinks.render.Finding;
import io.vigil.sinks.render.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that sends renderings of alerts in their triage state: each publication of an alert in the
 * state it is in when delivered and, through {@link TriageFindings}, each change an analyst makes.
 */
public interface FindingSink extends Sink<Alert> {

  /** Where alerts stand in triage. */
  Workflow.Lookup workflows();

  /**
   * Sends these findings, at most {@link #maxBatch()}; all-or-nothing, as {@link #deliver}.
   *
   * @throws DeliveryException classified as retryable or fatal
   */
  void send(List<Finding> findings) throws DeliveryException;

  @Override
  default void deliver(List<Alert> alerts) throws DeliveryException {
    List<Finding> findings = new ArrayList<>(alerts.size());
    for (Alert alert : alerts) {
      findings.add(Finding.published(alert, workflows().of(alert)));
    }
    send(findings);
  }
}
