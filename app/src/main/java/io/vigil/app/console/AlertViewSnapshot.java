package io.vigil.app.console;

import io.vigil.schemas.Alert;
import io.vigil.streams.alerts.AlertViewTopology;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The current alerts, from the alert view's store (the one {@code /api/alerts} reads): what a
 * browser is sent first when it opens the alert stream. The store is global: every instance's
 * snapshot holds the whole cluster's alerts.
 */
final class AlertViewSnapshot {

  /**
   * Alerts per {@code snapshot} event: one event per alert made a browser parse and apply 10,000
   * events one by one (docs/benchmarks.md); a few hundred per event keep each frame small.
   */
  static final int BATCH = 500;

  /** Receives the snapshot's alerts, rendered as JSON, a JSON array of at most {@link #BATCH}. */
  interface Sink {
    void accept(String alertsJsonArray) throws java.io.IOException;
  }

  private final KafkaStreams alertView;

  AlertViewSnapshot(KafkaStreams alertView) {
    this.alertView = alertView;
  }

  /**
   * Opens the store, or throws {@link InvalidStateStoreException} while it is not available
   * (starting, rebalancing): called before the response starts, so that the answer can be a 503.
   */
  ReadOnlyKeyValueStore<String, Alert> open() {
    return alertView.store(
        StoreQueryParameters.fromNameAndType(
            AlertViewTopology.STORE, QueryableStoreTypes.keyValueStore()));
  }

  /**
   * Sends every alert of {@code store}, rendered by {@code render}, to {@code sink} in arrays of at
   * most {@link #BATCH}, and puts the update number of each into {@code shown} by dedup key;
   * returns how many alerts.
   */
  static int send(
      ReadOnlyKeyValueStore<String, Alert> store,
      Function<Alert, String> render,
      Sink sink,
      Map<String, Integer> shown)
      throws java.io.IOException {
    int sent = 0;
    StringBuilder batch = new StringBuilder("[");
    int inBatch = 0;
    try (KeyValueIterator<String, Alert> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, Alert> entry = all.next();
        if (entry.value != null) {
          shown.put(entry.value.getDedupKey(), entry.value.getUpdate());
          batch.append(inBatch == 0 ? "" : ",").append(render.apply(entry.value));
          inBatch++;
          sent++;
          if (inBatch == BATCH) {
            sink.accept(batch.append(']').toString());
            batch.setLength(1);
            inBatch = 0;
          }
        }
      }
    }
    if (inBatch > 0) {
      sink.accept(batch.append(']').toString());
    }
    return sent;
  }
}
