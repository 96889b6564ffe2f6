package io.vigil.sinks.delivery;

import io.vigil.schemas.TriageChange;
import io.vigil.sinks.render.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends each analyst's change of an alert as the alert's finding in its new state (OCSF {@code
 * status_id}, ASFF {@code Workflow.Status}), through the same kind of sink that sends the alerts. A
 * change recorded without its alert (by a Vigil older than the {@code alert} field) has nothing to
 * render and is passed over.
 */
public final class TriageFindings implements Sink<TriageChange> {

  private final FindingSink sink;

  public TriageFindings(FindingSink sink) {
    this.sink = sink;
  }

  @Override
  public int maxBatch() {
    return sink.maxBatch();
  }

  @Override
  public void deliver(List<TriageChange> changes) throws DeliveryException {
    List<Finding> findings = new ArrayList<>(changes.size());
    for (TriageChange change : changes) {
      if (change.getAlert() != null) {
        findings.add(Finding.triaged(change, sink.workflows().of(change.getAlert())));
      }
    }
    if (!findings.isEmpty()) {
      sink.send(findings);
    }
  }

  @Override
  public boolean flush(boolean force) throws DeliveryException {
    return sink.flush(force);
  }

  @Override
  public void close() {
    sink.close();
  }
}
