package io.vigil.streams.events;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The CloudTrail events behind the alerts, kept for a retention of their event time: each event's
 * JSON as CloudTrail wrote it, by its {@code eventID} ({@link #BY_ID}), and again under the
 * principal or source address it came from ({@link #BY_ENTITY}, duplicates kept), so that an
 * alert's own events and its entity's other events in the alert's window can be read back. Two
 * window stores, changelogged; no repartition (each partition keeps its own events; a query reads
 * every local partition).
 */
public final class EventStoreTopology {

  /** Events by eventID. */
  public static final String BY_ID = "events-by-id";

  /** Events by principal ARN, else source address. */
  public static final String BY_ENTITY = "events-by-entity";

  private EventStoreTopology() {}

  public static void build(StreamsBuilder builder, VigilTopics topics, Duration retention) {
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(BY_ID, retention, Duration.ofMillis(1), false),
            Serdes.String(),
            Serdes.String()));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(BY_ENTITY, retention, Duration.ofMillis(1), true),
            Serdes.String(),
            Serdes.String()));
    Topic<String, CloudTrailEvent> cloudtrail = topics.cloudtrail();
    builder.stream(
            cloudtrail.name(),
            Consumed.with(cloudtrail.keySerde(), cloudtrail.valueSerde())
                .withName("events-cloudtrail-source"))
        .process(Keeper::new, BY_ID, BY_ENTITY);
  }

  /** The entity an event is filed under: its principal's ARN, else its source address. */
  public static String entityOf(CloudTrailEvent event) {
    if (event.getUserIdentity() != null && event.getUserIdentity().getArn() != null) {
      return event.getUserIdentity().getArn();
    }
    return event.getSourceIPAddress();
  }

  private static final class Keeper implements Processor<String, CloudTrailEvent, Void, Void> {
    private WindowStore<String, String> byId;
    private WindowStore<String, String> byEntity;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      byId = context.getStateStore(BY_ID);
      byEntity = context.getStateStore(BY_ENTITY);
    }

    @Override
    public void process(Record<String, CloudTrailEvent> record) {
      CloudTrailEvent event = record.value();
      if (event == null || event.getEventID() == null || event.getEventTimeMillis() == null) {
        return;
      }
      long time = event.getEventTimeMillis().toEpochMilli();
      // The event as CloudTrail wrote it; the decoded record's JSON only if that was not kept.
      String json =
          event.getRawJson() == null || event.getRawJson().isEmpty()
              ? RecordJson.toJson(event).toString()
              : event.getRawJson();
      byId.put(event.getEventID(), json, time);
      String entity = entityOf(event);
      if (entity != null && !entity.isEmpty()) {
        byEntity.put(entity, json, time);
      }
    }
  }
}
