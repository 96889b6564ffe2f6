package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.ComplianceEvidence;
import io.vigil.app.runtime.KafkaConnection;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers of {@code vigil.posture} behind {@code vigil report} on a real broker: a tombstone
 * (null value) after a resource's state means the resource is gone, and must neither crash the
 * reader nor leave the resource cited.
 */
@ExtendWith(InProcessKafkaExtension.class)
class ComplianceEvidenceIT {

  private static final String GONE = "arn:aws:s3:::removed-public-bucket";
  private static final String KEPT = "arn:aws:s3:::still-public-bucket";

  @TempDir Path dir;

  @Test
  void aTombstoneOnThePostureTopicIsAResourceThatIsGone(KafkaCluster cluster) throws Exception {
    String run = UUID.randomUUID().toString();
    Map<String, String> names =
        Map.of("alerts", "evidence-alerts-" + run, "posture", "evidence-posture-" + run);
    VigilTopics topics = VigilTopics.create(names, SerdeFactory.fromSettings(Map.of()));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(names.get("alerts"), 1, (short) 1),
                  new NewTopic(names.get("posture"), 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", cluster.bootstrapServers());
    try (KafkaProducer<String, ResourceState> producer =
        new KafkaProducer<>(
            props,
            topics.posture().keySerde().serializer(),
            topics.posture().valueSerde().serializer())) {
      // Failing before its tombstone, so that a reader keeping the last value would cite it.
      producer.send(new ProducerRecord<>(topics.posture().name(), GONE, publicBucket(GONE)));
      producer.send(new ProducerRecord<>(topics.posture().name(), KEPT, publicBucket(KEPT)));
      producer.send(new ProducerRecord<>(topics.posture().name(), GONE, null));
      producer.flush();
    }
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "kafka.bootstrap.servers",
                cluster.bootstrapServers(),
                "topics.alerts",
                names.get("alerts"),
                "topics.posture",
                names.get("posture")));

    ComplianceEvidence evidence =
        ComplianceEvidence.read(
            new KafkaConnection(cluster.bootstrapServers(), Map.of(), false, null), topics, config);
    assertThat(evidence.posture()).extracting(ResourceState::getArn).containsExactly(KEPT);

    Path report = dir.resolve("report.json");
    StringWriter err = new StringWriter();
    int code =
        VigilCommand.execute(
            new String[] {
              "report",
              "--framework",
              "cis-aws",
              "--format",
              "json",
              "--from",
              "2026-11-01T00:00:00Z",
              "--to",
              "2026-12-01T00:00:00Z",
              "-o",
              report.toString(),
              "--bootstrap-servers",
              cluster.bootstrapServers(),
              "--set",
              "topics.alerts=" + names.get("alerts"),
              "--set",
              "topics.posture=" + names.get("posture")
            },
            Map.of(),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(Files.readString(report));
    assertThat(json.toString()).contains(KEPT).doesNotContain(GONE);
  }

  /** A public bucket's state as the posture topology publishes it. */
  private static ResourceState publicBucket(String arn) {
    return ResourceState.newBuilder()
        .setArn(arn)
        .setResourceType("AWS::S3::Bucket")
        .setAccountId("111122223333")
        .setRegion("us-east-1")
        .setAttributes(Map.of("public", "true"))
        .setFailingControls(List.of("posture-s3-bucket-public"))
        .setUpdatedAt(Instant.parse("2026-11-10T10:00:00Z"))
        .build();
  }
}
