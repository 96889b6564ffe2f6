package io.vigil.app.triage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.TriageChange;
import io.vigil.schemas.TriageStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one alert stands in triage: every change made to it, applied in the order of the triage
 * topic. An alert nobody has touched is {@code open} and unassigned.
 *
 * <p>A later match in the alert's suppression window updates the same alert (docs/rules.md,
 * Alerts). If the alert was {@code resolved} before that update, it is shown {@code open} again
 * ({@code reopened}): the resolution was about what the analyst saw, and there is more now. A
 * {@code false_positive} stays one (the analyst judged the pattern, not the count), and an {@code
 * acknowledged} alert stays acknowledged (someone is on it). A match in a later window is a new
 * alert, {@code open}.
 */
public final class TriageState {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The state of an alert nobody has changed. */
  public static final TriageState UNTOUCHED =
      new TriageState(TriageStatus.open, "", null, List.of());

  private final TriageStatus status;
  private final String assignee;
  // The alert's update number when it was resolved, if it is resolved and that is known.
  private final Integer resolvedAtUpdate;
  private final List<TriageChange> history;

  private TriageState(
      TriageStatus status, String assignee, Integer resolvedAtUpdate, List<TriageChange> history) {
    this.status = status;
    this.assignee = assignee;
    this.resolvedAtUpdate = resolvedAtUpdate;
    this.history = history;
  }

  /** This state with {@code change} applied. */
  public TriageState with(TriageChange change) {
    TriageStatus nextStatus = change.getStatus() == null ? status : change.getStatus();
    Integer nextResolvedAt = resolvedAtUpdate;
    if (change.getStatus() != null) {
      nextResolvedAt = change.getStatus() == TriageStatus.resolved ? change.getAlertUpdate() : null;
    }
    String nextAssignee = change.getAssignee() == null ? assignee : change.getAssignee().toString();
    List<TriageChange> nextHistory = new ArrayList<>(history.size() + 1);
    nextHistory.addAll(history);
    // The alert the change carries is for the sinks; the history keeps what the analyst did.
    nextHistory.add(
        change.getAlert() == null
            ? change
            : TriageChange.newBuilder(change).setAlert(null).build());
    return new TriageState(nextStatus, nextAssignee, nextResolvedAt, List.copyOf(nextHistory));
  }

  /** The status as recorded, whatever happened to the alert since. */
  public TriageStatus recordedStatus() {
    return status;
  }

  /**
   * The status to show for the alert at {@code alertUpdate}: {@code open} when it was resolved at
   * an earlier update.
   */
  public TriageStatus status(int alertUpdate) {
    return reopened(alertUpdate) ? TriageStatus.open : status;
  }

  /** Whether the alert was resolved and has been updated by a new match since. */
  public boolean reopened(int alertUpdate) {
    return status == TriageStatus.resolved
        && resolvedAtUpdate != null
        && alertUpdate > resolvedAtUpdate;
  }

  /** Who the alert is assigned to; empty when nobody. */
  public String assignee() {
    return assignee;
  }

  public List<TriageChange> history() {
    return history;
  }

  /**
   * {@code status}, {@code assignee} (null when nobody) and {@code reopened}, added to {@code
   * item}.
   */
  public ObjectNode addTo(ObjectNode item, int alertUpdate) {
    item.put("status", status(alertUpdate).name());
    if (assignee.isEmpty()) {
      item.putNull("assignee");
    } else {
      item.put("assignee", assignee);
    }
    if (reopened(alertUpdate)) {
      item.put("reopened", true);
    }
    return item;
  }

  /** The changes as the API writes them: {@code by}, {@code at}, {@code status}, ... */
  public ArrayNode historyJson() {
    ArrayNode list = NODES.arrayNode();
    for (TriageChange change : history) {
      ObjectNode entry = list.addObject();
      entry.put("at", change.getAt().toString());
      entry.put("by", change.getBy().toString());
      if (change.getStatus() != null) {
        entry.put("status", change.getStatus().name());
      }
      if (change.getAssignee() != null) {
        if (change.getAssignee().length() == 0) {
          entry.putNull("assignee");
        } else {
          entry.put("assignee", change.getAssignee().toString());
        }
      }
      if (change.getNote() != null) {
        entry.put("note", change.getNote().toString());
      }
    }
    return list;
  }
}
