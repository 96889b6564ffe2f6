package io.vigil.deploy.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard, the alert rules and the image's health check against a running pipeline: the whole
 * of {@code vigil run} on the embedded broker, with a stdout and a failing webhook sink (so that
 * the sink metrics exist) and a log file with a good and a bad record dropped in its inbox (so that
 * the ingest metrics do). Every metric the dashboard and the rules name must be on /metrics with
 * the labels they select and group by.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployMetricsIT {

  /** Series Prometheus makes itself rather than scraping them. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  /** Labels Prometheus adds to every scraped series. */
  private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

  @TempDir static Path dir;

  private VigilRuntime runtime;
  private PrometheusText metrics;

  @BeforeAll
  void startPipelineAndFeedIt() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("vigil.yaml"),
            """
            sinks:
              - {type: stdout, name: console}
              - {type: webhook, name: hook, url: "http://127.0.0.1:%d/hook", max_attempts: 2, initial_backoff: 50ms, max_backoff: 100ms}
            """
                .formatted(closedPort()));
    runtime =
        VigilRuntime.start(
            VigilConfig.load(
                Optional.of(config),
                Map.of(),
                Map.of(
                    "data.dir",
                    dir.resolve("data").toString(),
                    "kafka.embedded.port",
                    "0",
                    "http.port",
                    "0",
                    "http.host",
                    "127.0.0.1",
                    "topics.partitions",
                    "1")),
            PipelineComponents.all());
    assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(90))).isEqualTo(200);

    // A CloudTrail file with one event that raises an alert and one record that is rejected.
    Path staged =
        Files.writeString(
            dir.resolve("staged.json"),
            """
            {"Records": [
              {"eventVersion": "1.08", "eventTime": "2026-11-01T10:00:00Z", "eventSource": "cloudtrail.amazonaws.com",
               "eventName": "StopLogging", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
               "userAgent": "aws-cli",
               "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/mallory",
               "accountId": "111122223333"},
               "requestParameters": {"name": "main"}, "eventID": "deploy-metrics-it-1", "eventType": "AwsApiCall",
               "recipientAccountId": "111122223333"},
              {"not": "an event"}
            ]}
            """);
    Files.move(staged, dir.resolve("data").resolve("inbox").resolve("trail.json"));

    Set<String> wanted = referencedMetricNames();
    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    do {
      metrics = PrometheusText.parse(HttpProbe.get(runtime.httpPort(), "/metrics").body());
      if (metrics.names().containsAll(wanted)
          && metrics.series("vigil_sink_sent_total").stream()
              .anyMatch(s -> s.get("sink").equals("console"))
          && !metrics.series("vigil_ingest_rejects_total").isEmpty()) {
        break;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < end);
  }

  @AfterAll
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void everyMetricTheDashboardAndTheAlertRulesNameIsExported() {
    Set<String> missing = new LinkedHashSet<>(referencedMetricNames());
    missing.removeAll(metrics.names());

    assertThat(missing)
        .as("named in deploy/dashboards or deploy/prometheus but not on /metrics")
        .isEmpty();
  }

  @Test
  void everyLabelTheyMatchGroupByOrRewriteIsOnThoseSeries() {
    for (String expression : expressions()) {
      PromQl query = PromQl.parse(expression);
      List<Map<String, String>> seriesOfExpression = new ArrayList<>();
      for (PromQl.Selector selector : query.selectors()) {
        if (PROMETHEUS_OWN.contains(selector.metric())) {
          continue;
        }
        List<Map<String, String>> series = metrics.series(selector.metric());
        seriesOfExpression.addAll(series);
        for (PromQl.LabelMatcher matcher : selector.matchers()) {
          assertThat(series)
              .as(selector.metric() + "{" + matcher + "} in: " + expression)
              .anySatisfy(
                  s -> {
                    assertThat(s).containsKey(matcher.label());
                    if (matcher.op().equals("=")) {
                      assertThat(s.get(matcher.label())).isEqualTo(matcher.value());
                    } else if (matcher.op().equals("=~")) {
                      assertThat(s.get(matcher.label())).matches(Pattern.compile(matcher.value()));
                    }
                  });
        }
      }
      for (PromQl.LabelReplace replace : query.labelReplaces()) {
        assertThat(seriesOfExpression)
            .as(replace + " in: " + expression)
            .anySatisfy(
                s ->
                    assertThat(s.get(replace.source()))
                        .isNotNull()
                        .matches(Pattern.compile(replace.regex())));
      }
      for (String label : query.groupingLabels()) {
        if (TARGET_LABELS.contains(label)
            || query.labelReplaces().stream().anyMatch(r -> r.destination().equals(label))) {
          continue;
        }
        assertThat(seriesOfExpression)
            .as("by (" + label + ") in: " + expression)
            .anySatisfy(s -> assertThat(s).containsKey(label));
      }
    }
  }

  @Test
  void streamsClientStateIsTheStateOrdinalSoTheRulesTwoMeansRunning() throws InterruptedException {
    assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
    PrometheusText now = PrometheusText.parse(HttpProbe.get(runtime.httpPort(), "/metrics").body());

    assertThat(now.series("kafka_stream_client_state"))
        .extracting(s -> s.get("application_id"))
        .containsExactlyInAnyOrder("vigil-detection", "vigil-aggregates", "vigil-alert-view");
    assertThat(now.values("kafka_stream_client_state"))
        .containsOnly((double) KafkaStreams.State.RUNNING.ordinal());
    assertThat(DeployFiles.text("prometheus/alerts.yml"))
        .contains("kafka_stream_client_state != " + KafkaStreams.State.RUNNING.ordinal());
  }

  @Test
  void imageHealthCheckCommandPassesAgainstRunningVigilAndFailsWhereNothingAnswers()
      throws Exception {
    List<String> command = Dockerfile.read().healthCheckCommand();

    assertThat(run(command, runtime.httpPort())).isZero();
    assertThat(run(command, closedPort())).isNotZero();
  }

  private static int run(List<String> command, int port) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("VIGIL_HTTP_PORT", String.valueOf(port));
    Process process = builder.start();
    process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("health check did not finish: " + command);
    }
    return process.exitValue();
  }

  private static Set<String> referencedMetricNames() {
    Set<String> names = new LinkedHashSet<>();
    expressions().forEach(e -> names.addAll(PromQl.parse(e).metricNames()));
    names.removeAll(PROMETHEUS_OWN);
    return names;
  }

  private static List<String> expressions() {
    List<String> all =
        new ArrayList<>(
            DashboardAndAlertRulesTest.expressions(DeployFiles.json("dashboards/vigil.json")));
    all.addAll(DashboardAndAlertRulesTest.ruleExpressions());
    return all;
  }

  /** A port nothing listens on: one free a moment ago. */
  private static int closedPort() throws IOException {
    return FreePorts.one();
  }
}
