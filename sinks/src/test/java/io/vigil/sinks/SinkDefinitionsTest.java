package io.vigil.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.schemas.Severity;
import io.vigil.sinks.http.PagerDutySink;
import io.vigil.sinks.http.SlackSink;
import io.vigil.sinks.http.SplunkHecSink;
import io.vigil.sinks.http.WebhookSink;
import io.vigil.sinks.kafka.KafkaTopicSink;
import io.vigil.sinks.render.AlertFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkDefinitionsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The example of the documentation. */
  static final String EXAMPLE =
      """
      sinks:
        - type: stdout
          name: console
          format: ocsf
        - type: pagerduty
          name: oncall
          min_severity: high
          exclude_rules: ["aws-console-login-*"]
          routing_key: ${PAGERDUTY_ROUTING_KEY}
          console_url: https://vigil.example.com/alerts/{alert_id}
        - type: slack
          name: secops-channel
          min_severity: medium
          url: ${SLACK_WEBHOOK_URL}
        - type: webhook
          name: soar
          url: https://soar.example.com/hooks/vigil
          format: asff
          secret: ${SOAR_HMAC_SECRET}
          headers:
            X-Tenant: acme
          rules: ["aws-iam-*", "aws-cloudtrail-*"]
          max_attempts: 8
          max_backoff: 1m
        - type: splunk-hec
          name: splunk
          url: https://splunk.example.com:8088
          token: ${SPLUNK_HEC_TOKEN}
          index: security
        - type: kafka
          name: siem-topic
          topic: security.findings.ocsf
          format: ocsf
          triage: false
        - type: s3
          name: archive
          bucket: acme-vigil-archive
          prefix: vigil
          region: eu-west-1
          max_file_age: 10m
      """;

  private static final Map<String, String> ENV =
      Map.of(
          "PAGERDUTY_ROUTING_KEY", "R0UT1NGKEY0123456789abcdef012345",
          "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX",
          "SOAR_HMAC_SECRET", "hmac-s3cret-value",
          "SPLUNK_HEC_TOKEN", "11111111-2222-3333-4444-555555555555");

  private static JsonNode sinks(String yaml) throws Exception {
    return YAML.readTree(yaml).get("sinks");
  }

  @Test
  void documentedExampleParsesIntoTypedDefinitions() throws Exception {
    List<SinkDefinition> defs = SinkDefinitions.parse(sinks(EXAMPLE), ENV);

    assertThat(defs)
        .extracting(SinkDefinition::name)
        .containsExactly(
            "console", "oncall", "secops-channel", "soar", "splunk", "siem-topic", "archive");
    SinkDefinition oncall = defs.get(1);
    assertThat(oncall.minSeverity()).isEqualTo(Severity.high);
    assertThat(oncall.excludeRules()).containsExactly("aws-console-login-*");
    PagerDutySink.Config pd = (PagerDutySink.Config) oncall.config();
    assertThat(pd.routingKey().reveal()).isEqualTo(ENV.get("PAGERDUTY_ROUTING_KEY"));
    assertThat(pd.url()).hasToString(PagerDutySink.DEFAULT_URL);
    assertThat(defs.get(0).minSeverity()).isEqualTo(Severity.low);
    WebhookSink.Config soar = (WebhookSink.Config) defs.get(3).config();
    assertThat(soar.rendering().format()).isEqualTo(AlertFormat.ASFF);
    assertThat(soar.headers().get("X-Tenant").reveal()).isEqualTo("acme");
    assertThat(soar.rendering().followsTriage()).as("ASFF has a workflow status").isTrue();
    assertThat(((KafkaTopicSink.Config) defs.get(5).config()).rendering().followsTriage())
        .as("triage: false")
        .isFalse();
    assertThat(((SplunkHecSink.Config) defs.get(4).config()).rendering().followsTriage())
        .as("Vigil's alert JSON has no triage state")
        .isFalse();
    assertThat(defs.get(3).retry().maxAttempts()).isEqualTo(8);
    assertThat(defs.get(3).retry().maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(((SlackSink.Config) defs.get(2).config()).minInterval())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void definitionsNeverPrintTheirSecrets() throws Exception {
    List<SinkDefinition> defs = SinkDefinitions.parse(sinks(EXAMPLE), ENV);

    String printed = defs.toString() + defs.stream().map(d -> d.config().toString()).toList();
    assertThat(ENV.values()).allSatisfy(secret -> assertThat(printed).doesNotContain(secret));
  }

  @Test
  void everyProblemIsReportedNamingTheSinkAndTheKey() throws Exception {
    String yaml =
        """
        sinks:
          - type: pagerduty
            name: oncall
            min_severity: urgent
          - type: slack
            name: chat
            url: ${NOT_SET}
            colour: red
          - type: carrier-pigeon
            name: birds
          - type: stdout
            name: chat
        """;
    SinkConfigException e =
        catchThrowableOfType(
            SinkConfigException.class, () -> SinkDefinitions.parse(sinks(yaml), Map.of()));

    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("'oncall'").contains("routing_key"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("'oncall'").contains("min_severity"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("'chat'").contains("url").contains("NOT_SET"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("'chat'").contains("colour"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("'birds'").contains("carrier-pigeon"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("sinks[3]").contains("used by another"));
  }

  @Test
  void invalidSecretValuesAreNotEchoed() throws Exception {
    String yaml =
        """
        sinks:
          - type: slack
            name: chat
            url: ${SLACK_URL}
        """;
    assertThatThrownBy(
            () -> SinkDefinitions.parse(sinks(yaml), Map.of("SLACK_URL", "not a url sup3rs3cret")))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("url")
        .hasMessageNotContaining("sup3rs3cret");
  }

  @Test
  void dollarDollarBraceIsALiteral() throws Exception {
    String yaml =
        """
        sinks:
          - type: webhook
            name: hook
            url: https://example.com/x
            headers:
              X-Template: "$${not_substituted}"
        """;
    WebhookSink.Config config =
        (WebhookSink.Config) SinkDefinitions.parse(sinks(yaml), Map.of()).get(0).config();
    assertThat(config.headers().get("X-Template").reveal()).isEqualTo("${not_substituted}");
  }

  @Test
  void archiveKindsMustBeAlertsOrAggregates() throws Exception {
    String yaml =
        """
        sinks:
          - type: s3
            name: archive
            bucket: b
            kinds: [alerts, flows]
          - type: s3
            name: empty
            bucket: b
            kinds: []
        """;
    SinkConfigException e =
        catchThrowableOfType(
            SinkConfigException.class, () -> SinkDefinitions.parse(sinks(yaml), Map.of()));

    assertThat(e.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("'archive'")
                    .contains("kinds")
                    .contains("flows")
                    .contains("aggregates"));
    assertThat(e.problems())
        .anySatisfy(
            p -> assertThat(p).contains("'empty'").contains("kinds").contains("at least one"));
  }

  @Test
  void durationsTakeTheConfigurationsOneGrammarDaysAndIsoIncluded() throws Exception {
    String yaml =
        """
        sinks:
          - type: webhook
            name: slow
            url: https://example.com/x
            initial_backoff: 1h
            max_backoff: 2d
            timeout: PT30S
          - type: s3
            name: archive
            bucket: b
            max_file_age: 1d
        """;
    List<SinkDefinition> defs = SinkDefinitions.parse(sinks(yaml), Map.of());

    assertThat(defs.get(0).retry().maxBackoff()).isEqualTo(Duration.ofDays(2));
    assertThat(defs.get(0).retry().initialBackoff()).isEqualTo(Duration.ofHours(1));
    assertThat(((io.vigil.sinks.archive.S3ArchiveSink.Config) defs.get(1).config()).maxFileAge())
        .isEqualTo(Duration.ofDays(1));
  }

  @Test
  void pagingPerIncidentIsAChoiceWithItsWindowAndEachMistakeIsNamed() throws Exception {
    String yaml =
        """
        sinks:
          - {type: pagerduty, name: a, routing_key: k, page_per: incident, incident_window: 30m}
          - {type: pagerduty, name: b, routing_key: k}
          - {type: pagerduty, name: c, routing_key: k, page_per: incidents}
          - {type: pagerduty, name: d, routing_key: k, incident_window: 30m}
          - {type: pagerduty, name: e, routing_key: k, page_per: incident, incident_window: 8d}
        """;
    com.fasterxml.jackson.databind.node.ArrayNode list =
        (com.fasterxml.jackson.databind.node.ArrayNode) sinks(yaml);
    List<SinkDefinition> good =
        SinkDefinitions.parse(YAML.createArrayNode().add(list.get(0)).add(list.get(1)), Map.of());
    assertThat(((PagerDutySink.Config) good.get(0).config()).incidents().window())
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(((PagerDutySink.Config) good.get(1).config()).incidents())
        .as("per alert by default")
        .isNull();
    assertThatThrownBy(() -> SinkDefinitions.parse(sinks(yaml), Map.of()))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("'c': page_per: expected alert or incident, got 'incidents'")
        .hasMessageContaining("'d': incident_window: applies only with page_per: incident")
        .hasMessageContaining("'e': incident_window: must be more than 0 and at most 7d");
  }

  @Test
  void aBadDurationHasTheConfigurationsOneMessage() throws Exception {
    String yaml =
        """
        sinks:
          - type: webhook
            name: hook
            url: https://example.com/x
            timeout: soon
        """;
    assertThatThrownBy(() -> SinkDefinitions.parse(sinks(yaml), Map.of()))
        .isInstanceOf(SinkConfigException.class)
        .hasMessage("sinks[0] 'hook': timeout: " + io.vigil.schemas.Durations.problem("soon"));
  }

  @Test
  void checkKeepsEachProblemsEntryTellsUnsetVariablesApartAndNamesTheSecretKeys() throws Exception {
    String yaml =
        """
        sinks:
          - type: stdout
            name: console
          - type: pagerduty
            name: oncall
            routing_key: ${PD_KEY}
          - type: webhook
            name: hook
            url: https://example.com/x
            max_attempts: 0
        """;
    SinkDefinitions.Checked checked = SinkDefinitions.check(sinks(yaml), Map.of());

    assertThat(checked.problems())
        .containsExactly(
            new SinkConfigException.Problem(
                1, "sinks[1] 'oncall': routing_key: environment variable PD_KEY is not set", true),
            new SinkConfigException.Problem(
                2, "sinks[2] 'hook': max_attempts: must be between 1 and 100, got 0", false));
    assertThat(checked.definitions()).extracting(SinkDefinition::name).containsExactly("console");
    assertThat(checked.secretKeys().get(1)).contains("routing_key");
    assertThat(checked.secretKeys().get(2)).contains("url", "secret", "headers");
  }

  @Test
  void missingSinksMeansNone() {
    assertThat(SinkDefinitions.parse(null, Map.of())).isEmpty();
  }
}
