package io.vigil.sinks.render;

import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;

/**
 * Where an alert stands in triage when a sink renders it: the status to show, the assignee and,
 * when the rendering reports a change an analyst made, that change (who, when, the note). OCSF and
 * ASFF carry it ({@code status_id}, {@code Workflow.Status}); Vigil's alert JSON does not.
 *
 * @param status the status to show (a resolved alert updated since shows {@code open})
 * @param assignee who the alert is assigned to, empty when nobody
 * @param change the change this rendering reports, or {@code null} for a publication of the alert
 */
public record Workflow(TriageStatus status, String assignee, TriageChange change) {

  /** An alert nobody has triaged. */
  public static final Workflow UNTRIAGED = new Workflow(TriageStatus.open, "", null);

  public Workflow {
    assignee = assignee == null ? "" : assignee;
  }

  /** The state after {@code change}, from the state {@code before} it. */
  public static Workflow after(TriageChange change, Workflow before) {
    TriageStatus status = change.getStatus() == null ? before.status() : change.getStatus();
    String assignee = change.getAssignee() == null ? before.assignee() : change.getAssignee();
    return new Workflow(status, assignee, change);
  }

  /** Whether the analyst is done with the alert: resolved or a false positive. */
  public boolean closed() {
    return status == TriageStatus.resolved || status == TriageStatus.false_positive;
  }

  /** Where alerts stand in triage, as the sinks see it. */
  @FunctionalInterface
  public interface Lookup {

    /** Nothing known: every alert is untriaged. */
    Lookup NONE = alert -> UNTRIAGED;

    /** The state of this publication of the alert. */
    Workflow of(io.vigil.schemas.Alert alert);
  }
}
