package io.vigil.sinks.delivery;

import io.vigil.schemas.Aggregate;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertJson;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.Topic;
import io.vigil.schemas.TriageChange;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a {@link SinkRunner} reads and how it speaks of it: the topic, which records the sink takes,
 * and how a record is shown in a dead letter and in the logs. Alerts are the feed of every sink;
 * aggregates are a second feed of the archive.
 *
 * @param <T> the record type of the topic
 */
public interface Feed<T> {

  /** The topic the records come from. */
  Topic<String, T> topic();

  /**
   * The name of this feed in metric tags, health and consumer group ids: {@code alerts}, {@code
   * aggregates}.
   */
  String kind();

  /** Whether the sink takes this record (the rest are skipped and counted as filtered). */
  boolean accepts(T record);

  /** The record as UTF-8 JSON, as kept in a dead letter. */
  byte[] json(T record);

  /** What identifies the record in a dead letter's attributes and in log lines (never a secret). */
  Map<String, String> identity(T record);

  /** The alerts of {@code topic} that pass {@code filter} and that no suppression muted. */
  static Feed<Alert> alerts(Topic<String, Alert> topic, AlertFilter filter) {
    return new Feed<>() {
      @Override
      public Topic<String, Alert> topic() {
        return topic;
      }

      @Override
      public String kind() {
        return "alerts";
      }

      // A muted publication is kept on the topic for audit, never delivered.
      @Override
      public boolean accepts(Alert alert) {
        return alert.getMutedBy() == null && filter.accepts(alert);
      }

      @Override
      public byte[] json(Alert alert) {
        return AlertJson.toJson(alert).getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public Map<String, String> identity(Alert alert) {
        return Map.of(
            "dedup_key",
            alert.getDedupKey(),
            "update",
            Integer.toString(alert.getUpdate()),
            "rule_id",
            alert.getRuleId());
      }
    };
  }

  /**
   * The triage changes of {@code topic} of alerts the sink takes: those whose alert (as it stood
   * when changed) passes {@code filter} and is not muted, and those recorded without it (the sink
   * decides what it can do with them).
   */
  static Feed<TriageChange> triage(Topic<String, TriageChange> topic, AlertFilter filter) {
    return new Feed<>() {
      @Override
      public Topic<String, TriageChange> topic() {
        return topic;
      }

      @Override
      public String kind() {
        return "triage";
      }

      @Override
      public boolean accepts(TriageChange change) {
        Alert alert = change.getAlert();
        return alert == null || (alert.getMutedBy() == null && filter.accepts(alert));
      }

      @Override
      public byte[] json(TriageChange change) {
        return RecordJson.toJson(change).toString().getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public Map<String, String> identity(TriageChange change) {
        return Map.of(
            "alert_id",
            change.getAlertId(),
            "dedup_key",
            change.getDedupKey(),
            "at",
            change.getAt());
      }
    };
  }

  /** Every aggregate of {@code topic}. */
  static Feed<Aggregate> aggregates(Topic<String, Aggregate> topic) {
    return new Feed<>() {
      @Override
      public Topic<String, Aggregate> topic() {
        return topic;
      }

      @Override
      public String kind() {
        return "aggregates";
      }

      @Override
      public boolean accepts(Aggregate aggregate) {
        return true;
      }

      @Override
      public byte[] json(Aggregate aggregate) {
        return RecordJson.toJson(aggregate).toString().getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public Map<String, String> identity(Aggregate aggregate) {
        return Map.of(
            "aggregate",
            aggregate.getName().toString(),
            "window_start",
            Long.toString(aggregate.getWindowStart().toEpochMilli()));
      }
    };
  }
}
