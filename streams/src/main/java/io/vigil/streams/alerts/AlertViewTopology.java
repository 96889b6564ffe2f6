package io.vigil.streams.alerts;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The latest state of every alert, by dedup key, in a queryable store: what the console and the
 * HTTP API read. Stateful (one key-value store, changelogged); no repartition, because {@code
 * vigil.alerts} is already keyed by dedup key. A tombstone on the topic removes the alert.
 */
public final class AlertViewTopology {

  /** The store name, stable across releases: interactive queries and the changelog use it. */
  public static final String STORE = "alert-view";

  private AlertViewTopology() {}

  public static void build(StreamsBuilder builder, VigilTopics topics) {
    Topic<String, Alert> alerts = topics.alerts();
    builder.table(
        alerts.name(),
        Consumed.with(alerts.keySerde(), alerts.valueSerde()).withName("alert-view-source"),
        Materialized.<String, Alert, KeyValueStore<Bytes, byte[]>>as(STORE)
            .withKeySerde(alerts.keySerde())
            .withValueSerde(alerts.valueSerde()));
  }
}
