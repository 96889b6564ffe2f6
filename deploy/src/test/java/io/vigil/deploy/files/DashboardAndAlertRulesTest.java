package io.vigil.deploy.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alert rules as documents: what they cover and how they are put together.
 * That each metric they name is one Vigil exports is DeployMetricsIT's job (it needs a running
 * pipeline).
 */
class DashboardAndAlertRulesTest {

  @Test
  void dashboardCoversIngestDetectionSinksDeadLettersAndTheJvm() {
    JsonNode dashboard = DeployFiles.json("dashboards/vigil.json");
    Set<String> metrics = new HashSet<>();
    expressions(dashboard).forEach(e -> metrics.addAll(PromQl.parse(e).metricNames()));

    assertThat(metrics)
        .contains(
            "vigil_ingest_records_total",
            "vigil_ingest_rejects_total",
            "kafka_stream_thread_process_rate",
            "kafka_consumer_fetch_manager_records_lag_max",
            "vigil_sink_sent_total",
            "vigil_sink_retried_total",
            "vigil_sink_failed_total",
            "vigil_sink_latency_seconds_sum",
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds_sum");
  }

  @Test
  void dashboardPanelsHaveUniqueIdsFitTheGridAndUseTheDataSourceVariable() {
    JsonNode dashboard = DeployFiles.json("dashboards/vigil.json");
    Set<Integer> ids = new HashSet<>();

    assertThat(dashboard.path("uid").asText()).isEqualTo("vigil-overview");
    assertThat(dashboard.at("/templating/list/0/name").asText()).isEqualTo("datasource");
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel id " + panel.path("id")).isTrue();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt())
          .as(panel.path("title").asText())
          .isLessThanOrEqualTo(24);
      if (!panel.path("type").asText().equals("row")) {
        assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
        assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      }
    }
  }

  @Test
  void alertRulesCoverFailingSinksDeadLettersLagAndReadinessWithSeverityAndSummary() {
    JsonNode rules = DeployFiles.yaml("prometheus/alerts.yml").at("/groups/0/rules");
    List<String> names = new ArrayList<>();
    for (JsonNode rule : rules) {
      names.add(rule.path("alert").asText());
      assertThat(rule.at("/labels/severity").asText())
          .as(rule.path("alert").asText())
          .isIn("warning", "critical");
      assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
      assertThat(PromQl.parse(rule.path("expr").asText()).metricNames()).isNotEmpty();
    }
    assertThat(names)
        .contains(
            "VigilSinkFailing",
            "VigilDeadLettersGrowing",
            "VigilConsumerLagHigh",
            "VigilStreamsNotRunning",
            "VigilDown");
  }

  /** Every PromQL expression of the dashboard: panel queries and templating queries. */
  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> out.add(e.asText()));
    return out;
  }

  /** Every PromQL expression of the alert rules. */
  static List<String> ruleExpressions() {
    List<String> out = new ArrayList<>();
    DeployFiles.yaml("prometheus/alerts.yml").findValues("expr").forEach(e -> out.add(e.asText()));
    return out;
  }
}
