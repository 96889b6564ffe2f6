package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

  @Test
  void alertIsPlainSnakeCaseJsonWithEveryField() throws Exception {
    Alert alert =
        Alert.newBuilder()
            .setAlertId("a1")
            .setRuleId("aws-root-account-usage")
            .setTitle("Root account used")
            .setSeverity(Severity.high)
            .setAccountId("111122223333")
            .setRegion(null)
            .setEntity("arn:aws:iam::111122223333:root")
            .setFirstSeen("2026-11-28T10:00:00Z")
            .setLastSeen("2026-11-28T10:01:00Z")
            .setCount(2)
            .setEventIds(List.of("e1", "e2"))
            .setCompliance(List.of("CIS-AWS 4.3"))
            .setAttack(List.of("T1078.004"))
            .setDedupKey("aws-root-account-usage:abc:1764324000")
            .setEvidence(Map.of("b", "2", "a", "1"))
            .setSource(AlertSource.cloudtrail)
            .build();

    String line = AlertJson.toJson(alert);
    JsonNode json = new ObjectMapper().readTree(line);

    assertThat(line).doesNotContain("\n");
    assertThat(json.get("rule_id").asText()).isEqualTo("aws-root-account-usage");
    assertThat(json.get("severity").asText()).isEqualTo("high");
    assertThat(json.get("region").isNull()).isTrue();
    assertThat(json.get("account_id").asText()).isEqualTo("111122223333");
    assertThat(json.get("event_ids")).hasSize(2);
    assertThat(json.get("count").asLong()).isEqualTo(2);
    assertThat(json.get("source").asText()).isEqualTo("cloudtrail");
    assertThat(line).contains("\"evidence\":{\"a\":\"1\",\"b\":\"2\"}");
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "alert_id",
            "rule_id",
            "title",
            "severity",
            "account_id",
            "region",
            "entity",
            "first_seen",
            "last_seen",
            "count",
            "event_ids",
            "compliance",
            "attack",
            "dedup_key",
            "description",
            "evidence",
            "update",
            "rule_author",
            "source",
            "account_name",
            "muted_by");
  }
}
