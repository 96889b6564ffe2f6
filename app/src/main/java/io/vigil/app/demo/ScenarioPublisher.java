package io.vigil.app.demo;

import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.PublishResult;
import io.vigil.ingest.publish.UnitPublisher;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes a scenario's run the way ingest publishes a log object: decoded by the ingest decoder,
 * written by the ingest publisher (same keys, same serialization, one transaction with its
 * checkpoint), and remembers the ids of what it published so that the alerts it raises can be told
 * apart from everything else on the alerts topic.
 */
public final class ScenarioPublisher {

  private final LogDecoder decoder;
  private final UnitPublisher publisher;

  public ScenarioPublisher(LogDecoder decoder, UnitPublisher publisher) {
    this.decoder = decoder;
    this.publisher = publisher;
  }

  /**
   * What one scenario's run put on Kafka.
   *
   * @param eventRefs CloudTrail eventIDs and flow record_refs: the ids alerts carry in event_ids
   * @param rejections why each rejected record was rejected (a bundled scenario has none)
   */
  public record Published(
      RenderedScenario run, PublishResult result, Set<String> eventRefs, List<String> rejections) {
    public Published {
      eventRefs = Set.copyOf(eventRefs);
      rejections = List.copyOf(rejections);
    }
  }

  /**
   * Publishes one run in one transaction, checkpointed under {@code demo:<scenario>} (one
   * checkpoint per scenario on the compacted topic, however often the demo runs).
   *
   * @throws PublishException when Kafka did not commit it; nothing of it is visible then
   */
  public Published publish(RenderedScenario run, String runId) throws PublishException {
    Set<String> refs = new HashSet<>();
    List<String> rejections = new ArrayList<>();
    Checkpoint checkpoint = new Checkpoint(run.source().location(), runId, 0, Map.of());
    PublishResult result =
        publisher.publish(
            checkpoint,
            writer -> {
              run.decode(
                  decoder,
                  new DecodeListener() {
                    @Override
                    public void cloudTrail(CloudTrailEvent event, String position) {
                      refs.add(event.getEventID());
                      writer.cloudTrail(event, position);
                    }

                    @Override
                    public void flow(FlowRecord record, String position) {
                      refs.add(record.getRecordRef());
                      writer.flow(record, position);
                    }

                    @Override
                    public void rejected(Rejected rejected) {
                      rejections.add(
                          rejected.getSourceLocation()
                              + ": "
                              + rejected.getReason()
                              + ": "
                              + rejected.getMessage());
                      writer.rejected(rejected);
                    }
                  });
            });
    return new Published(run, result, refs, rejections);
  }
}
