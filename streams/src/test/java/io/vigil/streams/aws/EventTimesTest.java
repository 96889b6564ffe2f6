package io.vigil.streams.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventTimesTest {

  private static final Instant EVENT_TIME = Instant.parse("2026-11-28T10:00:00Z");
  private static final long FALLBACK = Instant.parse("2026-11-28T12:34:56Z").toEpochMilli();

  @Test
  void aCloudTrailEventIsAtItsEventTime() {
    assertThat(EventTimes.of(cloudTrail(EVENT_TIME), FALLBACK))
        .isEqualTo(EVENT_TIME.toEpochMilli());
    assertThat(EventTimes.of((Object) cloudTrail(EVENT_TIME), FALLBACK))
        .isEqualTo(EVENT_TIME.toEpochMilli());
  }

  @Test
  void aFlowRecordIsAtTheStartOfItsWindowWhenItHasOne() {
    FlowRecord flow = flow(EVENT_TIME.getEpochSecond(), EVENT_TIME.getEpochSecond() + 60);
    assertThat(EventTimes.of(flow, FALLBACK)).isEqualTo(EVENT_TIME.toEpochMilli());
    assertThat(EventTimes.of((Object) flow, FALLBACK)).isEqualTo(EVENT_TIME.toEpochMilli());
  }

  @Test
  void aFlowRecordWithoutAPositiveStartFallsBack() {
    assertThat(EventTimes.of(flow(null, null), FALLBACK)).isEqualTo(FALLBACK);
    assertThat(EventTimes.of(flow(0L, 60L), FALLBACK)).isEqualTo(FALLBACK);
    assertThat(EventTimes.of(flow(-5L, null), FALLBACK)).isEqualTo(FALLBACK);
  }

  @Test
  void anyOtherValueFallsBack() {
    assertThat(EventTimes.of("not a record", FALLBACK)).isEqualTo(FALLBACK);
    assertThat(EventTimes.of((Object) null, FALLBACK)).isEqualTo(FALLBACK);
  }

  @Test
  void theExtractorFallsBackToTheKafkaTimestampThenThePartitionTime() {
    EventTimeExtractor extractor = new EventTimeExtractor();
    long partitionTime = FALLBACK - 1000;
    assertThat(extractor.extract(record(cloudTrail(EVENT_TIME), FALLBACK), partitionTime))
        .isEqualTo(EVENT_TIME.toEpochMilli());
    assertThat(
            extractor.extract(
                record(flow(EVENT_TIME.getEpochSecond(), null), FALLBACK), partitionTime))
        .isEqualTo(EVENT_TIME.toEpochMilli());
    assertThat(extractor.extract(record(flow(null, null), FALLBACK), partitionTime))
        .isEqualTo(FALLBACK);
    assertThat(extractor.extract(record(flow(null, null), -1), partitionTime))
        .isEqualTo(partitionTime);
  }

  @Test
  void theViewsRulesSeeUseTheSameRuleWithTheirOwnFallback() {
    assertThat(new CloudTrailEventView(cloudTrail(EVENT_TIME)).timestampMillis())
        .isEqualTo(EVENT_TIME.toEpochMilli());
    long start = EVENT_TIME.getEpochSecond();
    assertThat(new FlowRecordView(flow(start, start + 60)).timestampMillis())
        .isEqualTo(start * 1000L);
    // Without a start, a view has no Kafka timestamp: the end of the window, or 0.
    assertThat(new FlowRecordView(flow(null, start + 60)).timestampMillis())
        .isEqualTo((start + 60) * 1000L);
    assertThat(new FlowRecordView(flow(null, null)).timestampMillis()).isZero();
  }

  static CloudTrailEvent cloudTrail(Instant at) {
    return CloudTrailEvent.newBuilder()
        .setEventID("e-1")
        .setEventTime(at.toString())
        .setEventTimeMillis(at)
        .setEventSource("s3.amazonaws.com")
        .setEventName("ListBuckets")
        .setAwsRegion("us-east-1")
        .setRecipientAccountId("111122223333")
        .setRawJson("{}")
        .build();
  }

  static FlowRecord flow(Long start, Long end) {
    return FlowRecord.newBuilder()
        .setRecordRef("b/k#1")
        .setSrcaddr("10.0.0.5")
        .setDstaddr("203.0.113.9")
        .setStart(start)
        .setEnd(end)
        .build();
  }

  private static ConsumerRecord<Object, Object> record(Object value, long timestamp) {
    return new ConsumerRecord<>(
        "vigil.vpcflow",
        0,
        0L,
        timestamp,
        TimestampType.CREATE_TIME,
        0,
        0,
        "k",
        value,
        new RecordHeaders(),
        Optional.empty());
  }
}
