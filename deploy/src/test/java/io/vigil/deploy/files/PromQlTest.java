package io.vigil.deploy.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The PromQL reading the metric checks rely on: names, matchers, grouping labels, label_replace.
 */
class PromQlTest {

  @Test
  void metricNamesAreFoundAndFunctionsAggregationsAndKeywordsAreNot() {
    PromQl q =
        PromQl.parse(
            "sum by (sink, type) (increase(vigil_sink_retried_total[15m])) > 0 "
                + "and sum by (sink, type) (increase(vigil_sink_sent_total[15m])) == 0");

    assertThat(q.metricNames())
        .containsExactly("vigil_sink_retried_total", "vigil_sink_sent_total");
    assertThat(q.groupingLabels()).containsExactly("sink", "type");
  }

  @Test
  void matchersAreReadWithTheirOperatorAndUnquotedValue() {
    PromQl q =
        PromQl.parse(
            "max by (instance)"
                + " (kafka_consumer_fetch_manager_records_lag_max{client_id=~\".+-consumer\","
                + " a!=\"b\"}) > 1e4");

    assertThat(q.selectors())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.metric()).isEqualTo("kafka_consumer_fetch_manager_records_lag_max");
              assertThat(s.matchers())
                  .containsExactly(
                      new PromQl.LabelMatcher("client_id", "=~", ".+-consumer"),
                      new PromQl.LabelMatcher("a", "!=", "b"));
            });
  }

  @Test
  void grafanaVariablesAndDurationsAreNotNames() {
    PromQl q =
        PromQl.parse(
            "sum(rate(vigil_ingest_records_total{source=\"$source\"}[$__rate_interval])) or"
                + " vector(0)");

    assertThat(q.metricNames()).containsExactly("vigil_ingest_records_total");
  }

  @Test
  void labelReplaceYieldsTheLabelItMakesFromWhichLabelAndRegex() {
    PromQl q =
        PromQl.parse(
            "sum by (app) (label_replace(kafka_stream_thread_process_rate, \"app\", \"$1\","
                + " \"thread_id\", \"(.+)-StreamThread-[0-9]+\"))");

    assertThat(q.metricNames()).containsExactly("kafka_stream_thread_process_rate");
    assertThat(q.labelReplaces())
        .containsExactly(new PromQl.LabelReplace("app", "thread_id", "(.+)-StreamThread-[0-9]+"));
  }

  @Test
  void bareSelectorWithMatchersAtTheEndIsRead() {
    assertThat(PromQl.parse("up{job=~\"vigil.*\"} == 0").selectors())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.matchers())
                    .containsExactly(new PromQl.LabelMatcher("job", "=~", "vigil.*")));
  }
}
