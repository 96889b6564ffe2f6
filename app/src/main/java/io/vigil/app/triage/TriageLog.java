package io.vigil.app.triage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.runtime.TopicMirror;
import io.vigil.schemas.Alert;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.Topic;
import io.vigil.schemas.TriageChange;
import io.vigil.sinks.render.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts' triage, shared by every instance and kept across restarts: each change is a record on
 * the triage topic (keyed by alert id, so one alert's changes stay in order), and every instance
 * reads the whole topic ({@link TopicMirror}) into memory: the current state of every alert anyone
 * has touched ({@link TriageState}). A change is answered once this instance has read it back, so
 * the caller sees its own change at once.
 *
 * <p>Memory: one small entry per change made by a person; the topic holds only those, never an
 * alert's matches.
 */
public final class TriageLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TriageLog.class);

  private final Topic<String, TriageChange> topic;
  private final TopicMirror<TriageChange> mirror;
  private final Map<String, TriageState> states = new ConcurrentHashMap<>();
  private final List<Consumer<TriageView>> listeners = new CopyOnWriteArrayList<>();

  /** An alert's state right after a change was applied to it. */
  public record TriageView(String alertId, TriageState state) {}

  public TriageLog(
      Map<String, Object> clientProperties, String clientId, Topic<String, TriageChange> topic) {
    this.topic = topic;
    this.mirror = new TopicMirror<>(clientProperties, clientId, topic, this::apply);
  }

  /**
   * Reads the topic up to its current end (for at most {@code catchUp}), then follows it on a
   * thread of its own.
   */
  public void start(Duration catchUp) {
    mirror.start(catchUp);
    log.info("Triage read from {}: {} alerts with changes", topic.name(), states.size());
  }

  /** Tells {@code listener} about every change read from now on (the console's live stream). */
  public void listen(Consumer<TriageView> listener) {
    listeners.add(listener);
  }

  /**
   * The state of the alert {@code alertId}; {@link TriageState#UNTOUCHED} when nobody changed it.
   */
  public TriageState state(String alertId) {
    return states.getOrDefault(alertId, TriageState.UNTOUCHED);
  }

  /**
   * Where alerts stand in triage as the sinks render them (OCSF and ASFF): the status shown for
   * that publication of the alert and its assignee.
   */
  public Workflow.Lookup workflows() {
    return alert -> {
      TriageState state = state(alert.getAlertId());
      return state == TriageState.UNTOUCHED
          ? Workflow.UNTRIAGED
          : new Workflow(state.status(alert.getUpdate()), state.assignee(), null);
    };
  }

  /**
   * {@code alert} as the API and the console send it: its fields, its triage status and assignee.
   */
  public ObjectNode json(Alert alert) {
    return state(alert.getAlertId()).addTo(RecordJson.toJson(alert), alert.getUpdate());
  }

  /**
   * Records {@code change} and returns the alert's state with it, once this instance has read it
   * back (other instances read it within moments).
   *
   * @throws IllegalStateException when the cluster does not take or return the change in time
   */
  public TriageState record(TriageChange change, Duration timeout) throws InterruptedException {
    mirror.write(change.getAlertId(), change, timeout);
    return state(change.getAlertId());
  }

  private void apply(String alertId, TriageChange change) {
    TriageState state = states.getOrDefault(alertId, TriageState.UNTOUCHED).with(change);
    states.put(alertId, state);
    TriageView view = new TriageView(alertId, state);
    for (Consumer<TriageView> listener : listeners) {
      listener.accept(view);
    }
  }

  @Override
  public void close() {
    mirror.close();
  }
}
