package io.vigil.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.support.IngestTopics;
import io.vigil.ingest.support.SampleLogs;
import io.vigil.schemas.IngestCheckpoint;
import io.vigil.schemas.SingleObjectSerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InProcessKafkaExtension.class)
class TransactionalUnitPublisherIT {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void aUnitsRecordsRejectsAndCheckpointCommitTogetherUnderTheirKeys(KafkaCluster kafka)
      throws Exception {
    IngestTopics kafkaTopics = IngestTopics.create(kafka);
    VigilTopics topics = kafkaTopics.topics();
    try (var publisher =
        TransactionalUnitPublisher.start(kafka.clientProperties(), "t-keys", topics, meters)) {
      PublishResult result =
          publisher.publish(
              new Checkpoint("s3://logs/a.json", "etag-1", 0, Map.of("bucket", "logs")),
              writer -> {
                writer.cloudTrail(SampleLogs.cloudTrailEvent("ev-1"), "s3://logs/a.json#record=1");
                writer.cloudTrail(SampleLogs.cloudTrailEvent("ev-2"), "s3://logs/a.json#record=2");
                writer.flow(SampleLogs.flowRecord("10.0.0.5", "eni-1"), "#line=2");
                writer.flow(SampleLogs.flowRecord(null, "eni-2"), "#line=3");
                writer.rejected(SampleLogs.rejected("s3://logs/a.json#record=3"));
              });

      assertThat(result).isEqualTo(new PublishResult(2, 2, 1));
      assertThat(publisher.committed("s3://logs/a.json"))
          .contains(new Checkpoint("s3://logs/a.json", "etag-1", 4, Map.of("bucket", "logs")));
    }
    assertThat(kafkaTopics.readCommitted(topics.cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("ev-1", "ev-2");
    assertThat(kafkaTopics.readCommitted(topics.vpcflow()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("10.0.0.5", "eni-2");
    assertThat(kafkaTopics.readCommitted(topics.dlq()))
        .extracting(ConsumerRecord::key)
        .containsExactly("s3://logs/a.json#record=3");
    var checkpoints = kafkaTopics.readCommitted(topics.checkpoints());
    assertThat(checkpoints).extracting(ConsumerRecord::key).containsExactly("s3://logs/a.json");
    IngestCheckpoint value = checkpoints.get(0).value();
    assertThat(value.getVersion()).isEqualTo("etag-1");
    assertThat(value.getRecords()).isEqualTo(4);
    assertThat(value.getRejected()).isEqualTo(1);
    assertThat(value.getPublisher()).isEqualTo("t-keys");

    assertThat(
            meters
                .get(IngestMetrics.RECORDS)
                .tags("source", "s3", "log_type", "cloudtrail")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            meters
                .get(IngestMetrics.RECORDS)
                .tags("source", "s3", "log_type", "vpcflow")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            meters
                .get(IngestMetrics.REJECTS)
                .tags("source", "s3", "reason", "json_invalid")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get(IngestMetrics.BYTES)
                .tags("source", "s3", "log_type", "cloudtrail")
                .counter()
                .count())
        .isPositive();
    assertThat(meters.get(IngestMetrics.BATCH_LATENCY).timer().count()).isEqualTo(1);
    assertThat(
            meters.get(IngestMetrics.DELIVERY_DELAY).tags("log_type", "cloudtrail").timer().count())
        .isEqualTo(1);
  }

  @Test
  void aFailingUnitLeavesNothingVisibleAndCanBeRetried(KafkaCluster kafka) throws Exception {
    IngestTopics kafkaTopics = IngestTopics.create(kafka);
    VigilTopics topics = kafkaTopics.topics();
    Checkpoint unit = new Checkpoint("file:/logs/x.log", "10+1", 0, Map.of());
    try (var publisher =
        TransactionalUnitPublisher.start(kafka.clientProperties(), "t-abort", topics, meters)) {
      assertThatThrownBy(
              () ->
                  publisher.publish(
                      unit,
                      writer -> {
                        writer.cloudTrail(SampleLogs.cloudTrailEvent("ev-1"), "#line=1");
                        throw new IOException("connection reset while reading");
                      }))
          .isInstanceOf(PublishException.class)
          .hasMessageContaining("file:/logs/x.log");
      assertThat(publisher.committed(unit.key())).isEmpty();

      publisher.publish(
          unit, writer -> writer.cloudTrail(SampleLogs.cloudTrailEvent("ev-1"), "#line=1"));
    }
    assertThat(kafkaTopics.readCommitted(topics.cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactly("ev-1");
    assertThat(meters.get(IngestMetrics.UNITS).tags("outcome", "aborted").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aRestartedPublisherKnowsWhatWasCommittedAndFencesItsZombie(KafkaCluster kafka)
      throws Exception {
    IngestTopics kafkaTopics = IngestTopics.create(kafka);
    VigilTopics topics = kafkaTopics.topics();
    Checkpoint first = new Checkpoint("kinesis://s/shardId-0", "seq-9", 0, Map.of());
    try (var old =
        TransactionalUnitPublisher.start(kafka.clientProperties(), "t-fence", topics, meters)) {
      old.publish(
          first, writer -> writer.cloudTrail(SampleLogs.cloudTrailEvent("ev-1"), "#record=1"));

      try (var restarted =
          TransactionalUnitPublisher.start(kafka.clientProperties(), "t-fence", topics, meters)) {
        assertThat(restarted.committed(first.key())).contains(first.withRecords(1));

        Checkpoint second = new Checkpoint("kinesis://s/shardId-0", "seq-12", 0, Map.of());
        assertThatThrownBy(
                () ->
                    old.publish(
                        second,
                        writer ->
                            writer.cloudTrail(
                                SampleLogs.cloudTrailEvent("ev-zombie"), "#record=1")))
            .isInstanceOf(PublishException.class)
            .hasMessageContaining("fenced");
        assertThat(old.problem())
            .as("the fenced one says so, for its health")
            .hasValueSatisfying(p -> assertThat(p).contains("fenced", "ingest.transactional.id"));
        assertThat(restarted.problem()).isEmpty();
        restarted.publish(
            second, writer -> writer.cloudTrail(SampleLogs.cloudTrailEvent("ev-2"), "#record=1"));
        assertThat(restarted.committed(first.key())).contains(second.withRecords(1));
      }
    }
    assertThat(kafkaTopics.readCommitted(topics.cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("ev-1", "ev-2");
  }

  @Test
  void startingWithoutTheCheckpointTopicSaysWhatIsMissing(KafkaCluster kafka) {
    VigilTopics topics =
        VigilTopics.create(
            Map.of("checkpoints", "vigil.ingest.checkpoints.absent"),
            new SingleObjectSerdeFactory());

    assertThatThrownBy(
            () ->
                TransactionalUnitPublisher.start(
                    kafka.clientProperties(), "t-missing", topics, meters))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("vigil.ingest.checkpoints.absent");
  }
}
