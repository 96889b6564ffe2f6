package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VigilTopicsTest {

  private final SerdeFactory serdes = new SingleObjectSerdeFactory();

  @Test
  void defaultsAreTheNamesOfDesignSection3() {
    VigilTopics topics = VigilTopics.defaults(serdes);

    assertThat(topics.cloudtrail().name()).isEqualTo("vigil.cloudtrail");
    assertThat(topics.vpcflow().name()).isEqualTo("vigil.vpcflow");
    assertThat(topics.alerts().name()).isEqualTo("vigil.alerts");
    assertThat(topics.aggregates().name()).isEqualTo("vigil.aggregates");
    assertThat(topics.posture().name()).isEqualTo("vigil.posture");
    assertThat(topics.dlq().name()).isEqualTo("vigil.dlq");
    assertThat(topics.checkpoints().name()).isEqualTo("vigil.ingest.checkpoints");
    assertThat(topics.triage().name()).isEqualTo("vigil.alert-triage");
    assertThat(topics.all())
        .extracting(Topic::logicalName)
        .containsExactlyInAnyOrder(
            "cloudtrail",
            "vpcflow",
            "alerts",
            "aggregates",
            "posture",
            "dlq",
            "checkpoints",
            "triage",
            "suppressions");
  }

  @Test
  void eachTopicCarriesItsValueTypeAndCleanupPolicy() {
    VigilTopics topics = VigilTopics.defaults(serdes);

    assertThat(topics.cloudtrail().valueType()).isEqualTo(CloudTrailEvent.class);
    assertThat(topics.dlq().valueType()).isEqualTo(Rejected.class);
    assertThat(topics.posture().cleanupPolicy().configValue()).isEqualTo("compact");
    assertThat(topics.alerts().cleanupPolicy().configValue()).isEqualTo("compact,delete");
    assertThat(topics.vpcflow().cleanupPolicy()).isEqualTo(CleanupPolicy.DELETE);
    assertThat(topics.checkpoints().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
    assertThat(topics.triage().cleanupPolicy()).isEqualTo(CleanupPolicy.RETAIN);
  }

  @Test
  void serdesOfATopicRoundTripItsRecords() {
    Topic<String, FlowRecord> vpcflow = VigilTopics.defaults(serdes).vpcflow();
    FlowRecord flow = SampleRecords.flowRecord();

    byte[] key = vpcflow.keySerde().serializer().serialize(vpcflow.name(), flow.getSrcaddr());
    byte[] value = vpcflow.valueSerde().serializer().serialize(vpcflow.name(), flow);

    assertThat(vpcflow.keySerde().deserializer().deserialize(vpcflow.name(), key))
        .isEqualTo("198.51.100.23");
    assertThat(vpcflow.valueSerde().deserializer().deserialize(vpcflow.name(), value))
        .isEqualTo(flow);
  }

  @Test
  void overridesRenameOnlyTheNamedTopics() {
    VigilTopics topics = VigilTopics.create(Map.of("alerts", "acme.security.alerts"), serdes);

    assertThat(topics.alerts().name()).isEqualTo("acme.security.alerts");
    assertThat(topics.byLogicalName("alerts").name()).isEqualTo("acme.security.alerts");
    assertThat(topics.cloudtrail().name()).isEqualTo("vigil.cloudtrail");
  }

  @Test
  void unknownLogicalNameInOverridesIsRejectedNamingIt() {
    assertThatThrownBy(() -> VigilTopics.create(Map.of("alert", "x"), serdes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'alert'");
  }

  @Test
  void unknownLogicalNameInLookupIsRejectedNamingIt() {
    assertThatThrownBy(() -> VigilTopics.defaults(serdes).byLogicalName("findings"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'findings'");
  }

  @Test
  void illegalOrDuplicateTopicNamesAreRejected() {
    assertThatThrownBy(() -> VigilTopics.create(Map.of("dlq", "dead letters"), serdes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dlq");
    assertThatThrownBy(() -> VigilTopics.create(Map.of("dlq", "vigil.alerts"), serdes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vigil.alerts");
  }

  @Test
  void legalNamesAreKafkasOwnRule() {
    assertThat(VigilTopics.isLegalName("acme.vigil_alerts-1")).isTrue();
    assertThat(VigilTopics.isLegalName("dead letters")).isFalse();
    assertThat(VigilTopics.isLegalName("..")).isFalse();
    assertThat(VigilTopics.isLegalName("x".repeat(250))).isFalse();
    assertThat(VigilTopics.isLegalName(null)).isFalse();
  }
}
