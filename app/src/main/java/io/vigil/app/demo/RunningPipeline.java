package io.vigil.app.demo;

import io.vigil.app.runtime.KafkaConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Whether there is a pipeline to play the demo to: Kafka answers, and the detection's Kafka Streams
 * application ({@code <streams.application.id>-detection}) has members in its consumer group.
 */
public final class RunningPipeline {

  private RunningPipeline() {}

  /**
   * What is missing, or empty when the pipeline is there. Waits up to {@code patience} for the
   * detection to join its group (a {@code vigil run} that started a moment ago).
   */
  public static Optional<String> problem(
      KafkaConnection kafka, String detectionGroup, Duration patience) throws InterruptedException {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, patience.toMillis()));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-demo-probe");
    Admin admin = Admin.create(props);
    try {
      try {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId().get();
      } catch (ExecutionException e) {
        return Optional.of(
            "nothing answers at "
                + kafka.bootstrapServers()
                + " ("
                + e.getCause().getMessage()
                + ")");
      }
      long deadline = System.nanoTime() + patience.toNanos();
      while (true) {
        try {
          ConsumerGroupDescription group =
              admin.describeConsumerGroups(List.of(detectionGroup)).all().get().get(detectionGroup);
          if (!group.members().isEmpty()) {
            return Optional.empty();
          }
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof GroupIdNotFoundException)) {
            // Cannot tell (not authorised to describe groups, say): go ahead rather than refuse.
            return Optional.empty();
          }
        }
        if (System.nanoTime() > deadline) {
          return Optional.of(
              "Kafka at "
                  + kafka.bootstrapServers()
                  + " answers, but no detection is running on it"
                  + " (the consumer group "
                  + detectionGroup
                  + " has no members)");
        }
        Thread.sleep(500);
      }
    } finally {
      admin.close(Duration.ofSeconds(2));
    }
  }
}
