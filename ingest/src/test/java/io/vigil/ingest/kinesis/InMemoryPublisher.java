package io.vigil.ingest.kinesis;

import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.PublishResult;
import io.vigil.ingest.publish.UnitBody;
import io.vigil.ingest.publish.UnitPublisher;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double, test code only: an in-memory {@link UnitPublisher} standing in for the Kafka
 * transactional publisher being built in parallel (package {@code io.vigil.ingest.publish}). It
 * keeps the all-or-nothing contract that the Kinesis source relies on: a unit's records and its
 * checkpoint become visible together when the body completes, and nothing of a failed unit does. It
 * can be told to fail the next publishes, as an aborted transaction would.
 */
final class InMemoryPublisher implements UnitPublisher {

  /** One committed unit: its checkpoint and the record references written in it, in order. */
  record Unit(Checkpoint checkpoint, List<String> records) {}

  private final Map<String, Checkpoint> committed = new ConcurrentHashMap<>();
  private final List<Unit> units = new ArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();

  @Override
  public Optional<Checkpoint> committed(String key) {
    return Optional.ofNullable(committed.get(key));
  }

  @Override
  public PublishResult publish(Checkpoint checkpoint, UnitBody body) throws PublishException {
    List<String> records = new ArrayList<>();
    long[] counts = new long[3];
    DecodeListener writer =
        new DecodeListener() {
          @Override
          public void cloudTrail(CloudTrailEvent event, String position) {
            records.add(event.getEventID());
            counts[0]++;
          }

          @Override
          public void flow(FlowRecord record, String position) {
            records.add(record.getRecordRef());
            counts[1]++;
          }

          @Override
          public void rejected(Rejected rejected) {
            records.add("rejected:" + rejected.getSourceLocation());
            counts[2]++;
          }
        };
    try {
      body.writeTo(writer);
    } catch (Exception e) {
      throw new PublishException("unit body failed for " + checkpoint.key(), e);
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new PublishException("injected commit failure for " + checkpoint.key(), null);
    }
    synchronized (this) {
      units.add(new Unit(checkpoint, List.copyOf(records)));
      committed.put(checkpoint.key(), checkpoint);
    }
    return new PublishResult(counts[0], counts[1], counts[2]);
  }

  /** Makes the next {@code n} publishes fail after running their body. */
  void failNext(int n) {
    failNext.set(n);
  }

  /** Puts a checkpoint as if committed by an earlier run. */
  void preload(Checkpoint checkpoint) {
    committed.put(checkpoint.key(), checkpoint);
  }

  synchronized List<Unit> units() {
    return List.copyOf(units);
  }

  /** Records committed under {@code checkpointKey}, in commit order. */
  synchronized List<String> records(String checkpointKey) {
    List<String> all = new ArrayList<>();
    for (Unit unit : units) {
      if (unit.checkpoint().key().equals(checkpointKey)) {
        all.addAll(unit.records());
      }
    }
    return all;
  }

  synchronized List<String> allRecords() {
    List<String> all = new ArrayList<>();
    units.forEach(u -> all.addAll(u.records()));
    return all;
  }

  @Override
  public void close() {}
}
