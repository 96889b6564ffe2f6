package io.vigil.streams.alerts;

import io.vigil.schemas.Alert;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the console and the HTTP API read: the latest state of every alert, by dedup key, and of
 * every resource's posture, by ARN, in queryable stores. Both are global: every instance reads
 * every partition of {@code vigil.alerts} and {@code vigil.posture} into its own copy, so any
 * instance answers for the whole cluster, whichever instances raised the alerts. The topics are the
 * stores' changelogs (nothing else is written); a tombstone removes the alert or the resource.
 */
public final class AlertViewTopology {

  /** The alerts' store name, stable across releases: interactive queries use it. */
  public static final String STORE = "alert-view";

  /** The posture store name: the latest {@code ResourceState} of every resource, by ARN. */
  public static final String POSTURE_STORE = "posture-view";

  private AlertViewTopology() {}

  public static void build(StreamsBuilder builder, VigilTopics topics) {
    Topic<String, Alert> alerts = topics.alerts();
    builder.globalTable(
        alerts.name(),
        Consumed.with(alerts.keySerde(), alerts.valueSerde()).withName("alert-view-source"),
        Materialized.<String, Alert, KeyValueStore<Bytes, byte[]>>as(STORE)
            .withKeySerde(alerts.keySerde())
            .withValueSerde(alerts.valueSerde()));
    Topic<String, ResourceState> posture = topics.posture();
    builder.globalTable(
        posture.name(),
        Consumed.with(posture.keySerde(), posture.valueSerde()).withName("posture-view-source"),
        Materialized.<String, ResourceState, KeyValueStore<Bytes, byte[]>>as(POSTURE_STORE)
            .withKeySerde(posture.keySerde())
            .withValueSerde(posture.valueSerde()));
  }
}
