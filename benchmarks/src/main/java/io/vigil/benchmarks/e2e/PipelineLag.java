package io.vigil.benchmarks.e2e;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far {@code vigil run}'s Streams applications are behind on the CloudTrail topic: the records
 * on it past their committed offsets. The warm-up ends once this comes back near zero after each
 * commit, so that the measured part starts with the JIT warm and the start-up backlog drained.
 */
final class PipelineLag implements AutoCloseable {

  private final Admin admin;
  private final String topic;
  private final List<String> groups;

  PipelineLag(Map<String, Object> client, String topic, List<String> groups) {
    this.admin = Admin.create(client);
    this.topic = topic;
    this.groups = List.copyOf(groups);
  }

  /** The largest lag of any of the groups, in records (-1 while a group has committed nothing). */
  long records() throws InterruptedException {
    try {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          admin
              .listOffsets(
                  partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
              .all()
              .get();
      long worst = 0;
      for (String group : groups) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (TopicPartition partition : partitions) {
          OffsetAndMetadata offset = committed.get(partition);
          if (offset == null) {
            return -1;
          }
          lag += Math.max(0, ends.get(partition).offset() - offset.offset());
        }
        worst = Math.max(worst, lag);
      }
      return worst;
    } catch (ExecutionException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
