package io.vigil.sinks.render;

import io.vigil.schemas.Alert;
import io.vigil.schemas.TriageChange;
import io.vigil.sinks.delivery.Sink;

/**
 * One rendering a sink sends: an alert in a triage state, under the idempotency key a receiver
 * deduplicates it by.
 *
 * @param alert the alert
 * @param workflow where it stands in triage
 * @param idempotencyKey {@code <dedup_key>:<update>} for a publication of the alert, {@code
 *     <dedup_key>:<update>:triage:<at>:<by>} for an analyst's change of it
 */
public record Finding(Alert alert, Workflow workflow, String idempotencyKey) {

  /** A publication of the alert, in the state it is in. */
  public static Finding published(Alert alert, Workflow workflow) {
    return new Finding(alert, workflow, Sink.idempotencyKey(alert));
  }

  /**
   * An analyst's change of the alert it carries ({@link TriageChange#getAlert()}, which must be
   * set), from the state {@code before} it.
   */
  public static Finding triaged(TriageChange change, Workflow before) {
    Alert alert = change.getAlert();
    return new Finding(
        alert,
        Workflow.after(change, before),
        alert.getDedupKey()
            + ":"
            + alert.getUpdate()
            + ":triage:"
            + change.getAt()
            + ":"
            + change.getBy());
  }
}
