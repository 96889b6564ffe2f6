package io.vigil.streams.aws;

import io.vigil.schemas.FlowRecord;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A {@link FlowRecord} as rules see it. Field names are the flow log's own ({@code srcaddr}, {@code
 * dstport}, {@code action}, {@code log-status}, ...); hyphenated and underscored spellings both
 * work. Fields of later flow log versions without a typed field are found in {@code extras}. Ports,
 * counts and the protocol are numbers, so {@code bytes|gte: 1073741824} compares numerically and
 * {@code dstport: 22} compares as text "22".
 */
public final class FlowRecordView implements EventView {

  private final FlowRecord record;
  private String rawText;

  /** Wraps one flow record. */
  public FlowRecordView(FlowRecord record) {
    this.record = record;
  }

  /** The wrapped record. */
  public FlowRecord record() {
    return record;
  }

  @Override
  public List<Object> values(FieldPath path) {
    if (path.size() != 1) {
      return List.of();
    }
    String name = path.head().replace('-', '_');
    Schema.Field field = record.getSchema().getField(name);
    if (field != null && !name.equals("extras")) {
      Object value = record.get(field.pos());
      return value == null
          ? List.of()
          : List.of(value instanceof CharSequence s ? s.toString() : value);
    }
    String extra = record.getExtras() == null ? null : record.getExtras().get(path.head());
    if (extra == null && record.getExtras() != null) {
      extra = record.getExtras().get(path.head().replace('_', '-'));
    }
    return extra == null ? List.of() : List.of(extra);
  }

  @Override
  public String indexValue(String field) {
    return null;
  }

  @Override
  public String rawText() {
    if (rawText == null) {
      // Avro renders a record as JSON text, enough for a keyword search over a flow line.
      rawText = record.toString();
    }
    return rawText;
  }

  /**
   * The record's {@link EventTimes event time}, the start of the capture window; without one, the
   * end of the window (this view has no Kafka timestamp to fall back on), or 0 when unknown.
   */
  @Override
  public long timestampMillis() {
    Long end = record.getEnd();
    return EventTimes.of(record, end == null ? 0L : end * 1000L);
  }

  @Override
  public String eventRef() {
    return record.getRecordRef();
  }

  @Override
  public String service() {
    return "vpcflowlogs";
  }
}
