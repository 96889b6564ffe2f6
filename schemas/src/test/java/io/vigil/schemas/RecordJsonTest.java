package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  @Test
  void recordBecomesPlainJsonWithUnwrappedUnionsAndIsoTimes() {
    ResourceState state =
        ResourceState.newBuilder()
            .setArn("arn:aws:s3:::b")
            .setResourceType("AWS::S3::Bucket")
            .setAccountId(null)
            .setRegion("us-east-1")
            .setAttributes(Map.of("public", "true", "encryption", "SSE-S3"))
            .setFailingControls(List.of("posture-s3-bucket-public"))
            .setEstablishedByEventIds(List.of("e1"))
            .setUpdatedAt(Instant.parse("2026-11-28T10:00:00Z"))
            .setDeleted(false)
            .build();
    JsonNode json = RecordJson.toJson(state);
    assertThat(json.get("arn").asText()).isEqualTo("arn:aws:s3:::b");
    assertThat(json.get("account_id").isNull()).isTrue();
    assertThat(json.get("region").asText()).isEqualTo("us-east-1");
    assertThat(json.get("updated_at").asText()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(json.get("attributes").toString())
        .isEqualTo("{\"encryption\":\"SSE-S3\",\"public\":\"true\"}");
    assertThat(json.get("failing_controls").get(0).asText()).isEqualTo("posture-s3-bucket-public");
    assertThat(json.get("deleted").asBoolean()).isFalse();
  }
}
