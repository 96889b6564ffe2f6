package io.vigil.app.runtime;

import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of component {@code vigil run} can start, in start order, each with the one name it
 * goes by outside the code: the value {@code run.components} lists ({@link
 * ConfigKeys#RUN_COMPONENT_NAMES}), the name in logs and health output, and the suffix of a Kafka
 * Streams application id. Code finds a component by its kind, never by that name.
 */
public enum ComponentKind {

  /** Detection and posture, one Kafka Streams application. */
  DETECTION("detection"),
  /** Windowed aggregates, a Kafka Streams application. */
  AGGREGATES("aggregates"),
  /** The queryable latest state of every alert, a Kafka Streams application. */
  ALERT_VIEW("alert-view"),
  /** The CloudTrail events behind the alerts, kept for events.retention; a Kafka Streams app. */
  EVENTS("events"),
  /** Ingest from the inbox directory. */
  FILE_INBOX("file-inbox"),
  /** Ingest of S3 objects announced through SQS. */
  S3_NOTIFICATIONS("s3-notifications"),
  /** Ingest from a Kinesis stream. */
  KINESIS("kinesis"),
  /** Alert delivery. */
  SINKS("sinks");

  private final String configName;

  ComponentKind(String configName) {
    this.configName = configName;
  }

  /** The name in {@code run.components}, logs, health output and application ids. */
  public String configName() {
    return configName;
  }

  /** Every kind's name, in start order. */
  public static List<String> configNames() {
    return Arrays.stream(values()).map(ComponentKind::configName).toList();
  }

  /** The kind of that name; empty for a name no kind has. */
  public static Optional<ComponentKind> fromConfigName(String name) {
    return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
  }

  /** The kinds {@code run.components} chooses (the configuration already refused unknown names). */
  public static Set<ComponentKind> listed(VigilConfig config) {
    Set<ComponentKind> kinds = EnumSet.noneOf(ComponentKind.class);
    config
        .get(ConfigKeys.RUN_COMPONENTS)
        .forEach(name -> fromConfigName(name).ifPresent(kinds::add));
    return kinds;
  }
}
