package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration error exits 2 with a message naming the key and where its value came from
 * (file and line, environment variable or flag), whichever part of Vigil finds it; run in this JVM,
 * and none of these starts a broker.
 */
class ConfigurationErrorExitTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int vigil(Map<String, String> env, String... args) {
    return VigilCommand.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private Path config(String yaml) throws Exception {
    return Files.writeString(dir.resolve("vigil.yaml"), yaml);
  }

  private Path emptyTrail() throws Exception {
    return Files.writeString(dir.resolve("trail.json"), "{\"Records\":[]}");
  }

  @Test
  void aBadSinkEntryExitsTwoNamingTheSinkTheKeyAndItsLine() throws Exception {
    Path file =
        config(
            """
            sinks:
              - {type: stdout, name: console}
              - type: webhook
                name: soar
                url: https://soar.example.com/hook
                initial_backoff: 2x
            """);

    assertThat(vigil(Map.of(), "config", "show", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "vigil: configuration error: sinks[1] 'soar': initial_backoff: expected a "
                + "duration such as 500ms, 10s, 15m, 1h, 2d or PT10S, got '2x' (from "
                + file
                + ":3)");
  }

  @Test
  void runWithABadSinkExitsTwoBeforeStartingAnything() throws Exception {
    Path file = config("sinks: [{type: pagerduty, name: oncall}]\n");

    assertThat(
            vigil(
                Map.of(),
                "run",
                "--config",
                file.toString(),
                "--data-dir",
                dir.resolve("data").toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("sinks[0] 'oncall': routing_key: required")
        .contains(file + ":1")
        .doesNotContain("run failed");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aSinkDurationInDaysIsAccepted() throws Exception {
    Path file =
        config(
            "sinks: [{type: webhook, name: soar, url: 'https://soar.example.com/hook', max_backoff:"
                + " 2d}]\n");

    assertThat(vigil(Map.of(), "config", "show", "--config", file.toString())).isZero();
    assertThat(out.toString()).contains("\"max_backoff\":\"2d\"");
  }

  @Test
  void anUnsetSinkVariableIsNoErrorWhereSinksDoNotRunAndExitsTwoWhereTheyDo() throws Exception {
    Path file =
        config(
            """
            sinks:
              - type: webhook
                name: soar
                url: ${WEBHOOK_URL}
            """);

    assertThat(vigil(Map.of(), "config", "show", "--config", file.toString())).isZero();
    assertThat(out.toString()).contains("\"url\":\"${WEBHOOK_URL}\"");

    assertThat(
            vigil(
                Map.of(),
                "sinks",
                "--config",
                file.toString(),
                "--data-dir",
                dir.resolve("data").toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "vigil: configuration error: sinks[0] 'soar': url: environment variable "
                + "WEBHOOK_URL is not set (from "
                + file
                + ":2)");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void sinkVariablesComeFromTheEnvironmentVigilWasGiven() throws Exception {
    Path file = config("sinks: [{type: webhook, name: soar, url: '${WEBHOOK_URL}'}]\n");

    assertThat(
            vigil(
                Map.of("WEBHOOK_URL", "not a url"), "config", "show", "--config", file.toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("sinks[0] 'soar': url: is not a URL")
        .doesNotContain("not a url");
  }

  @Test
  void badAccountNamesExitTwoNamingTheEntryAndLine() throws Exception {
    Path file =
        config(
            "accounts:\n  names:\n    \"111122223333\": prod\n    \"444455556666\": {name: dev}\n");

    assertThat(vigil(Map.of(), "config", "show", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("accounts.names.444455556666: expected a name, got a map (from " + file + ":4)");
  }

  @Test
  void badS3FiltersExitTwoNamingTheEntry() {
    assertThat(
            vigil(
                Map.of("VIGIL_INGEST_S3_FILTERS", "[{log_type: vpcflows, prefix: AWSLogs/}]"),
                "config",
                "show"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "ingest.s3.filters[0]: log_type: unknown log type 'vpcflows' (did you mean vpcflow?);"
                + " expected one of cloudtrail, vpcflow, or no log_type for keys of any type"
                + " (from environment VIGIL_INGEST_S3_FILTERS)");
  }

  @Test
  void illegalOrSharedTopicNamesExitTwoNamingTheKey() {
    assertThat(vigil(Map.of(), "config", "show", "--set", "topics.alerts=bad topic")).isEqualTo(2);
    assertThat(err.toString())
        .contains("topics.alerts: expected a legal Kafka topic name")
        .contains("(from flag --set topics.alerts)");

    assertThat(vigil(Map.of(), "config", "show", "--set", "topics.posture=vigil.alerts"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "topics.posture: 'vigil.alerts' is already the name of topics.alerts "
                + "(from flag --set topics.posture)");
  }

  @Test
  void aKafkaSettingKafkaRefusesExitsTwoNamingTheKey() {
    assertThat(vigil(Map.of("VIGIL_KAFKA_SECURITY_PROTOCOL", "TLS"), "config", "show"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("kafka.security.protocol: expected a value Kafka accepts for security.protocol")
        .contains("got 'TLS' (from environment VIGIL_KAFKA_SECURITY_PROTOCOL)");
  }

  @Test
  void aUrlThatIsNotOneExitsTwoNamingTheKey() {
    assertThat(vigil(Map.of("VIGIL_AWS_ENDPOINT", "http://bad host"), "config", "show"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "aws.endpoint: expected an http or https URL such as https://host:8081, "
                + "got 'http://bad host' (from environment VIGIL_AWS_ENDPOINT)");

    assertThat(vigil(Map.of(), "config", "show", "--set", "schema.registry.url=registry:8081"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("schema.registry.url: expected an http or https URL")
        .contains("(from flag --set schema.registry.url)");
  }

  @Test
  void perServiceAwsEndpointsAreShownWithTheirOriginAndCheckedAsUrls() throws Exception {
    Path file =
        config(
            """
            aws:
              endpoint: http://localhost:4566
              sqs:
                endpoint: http://localhost:9324
            """);
    assertThat(
            vigil(
                Map.of("VIGIL_AWS_KINESIS_ENDPOINT", "http://localhost:4567"),
                "config",
                "show",
                "--config",
                file.toString()))
        .isZero();
    assertThat(out.toString())
        .contains("aws.sqs.endpoint")
        .contains("http://localhost:9324")
        .contains("aws.kinesis.endpoint")
        .contains("VIGIL_AWS_KINESIS_ENDPOINT");

    assertThat(vigil(Map.of(), "config", "show", "--set", "aws.s3.endpoint=s3proxy:8081"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("aws.s3.endpoint: expected an http or https URL")
        .contains("(from flag --set aws.s3.endpoint)");
  }

  @Test
  void aBadThreatIntelNetworkExitsTwoNamingTheKey() {
    assertThat(vigil(Map.of(), "config", "show", "--set", "threat_intel.cidrs=203.0.113.0/33"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("threat_intel.cidrs: expected a list of networks")
        .contains("got '203.0.113.0/33' (from flag --set threat_intel.cidrs)");
  }

  @Test
  void aThreatIntelFileThatDoesNotParseExitsTwoNamingItsLineAndTheKey() throws Exception {
    Path list = Files.writeString(dir.resolve("threats.txt"), "203.0.113.0/24\nevil.example.com\n");

    assertThat(
            vigil(
                Map.of("VIGIL_THREAT_INTEL_FILES", list.toString()),
                "scan",
                emptyTrail().toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "vigil: configuration error: threat_intel.files: "
                + list
                + ":2: 'evil.example.com' is not an IPv4 or IPv6 network (from environment"
                + " VIGIL_THREAT_INTEL_FILES)");
  }

  @Test
  void anUnreadableThreatIntelFileExitsTwo() throws Exception {
    Path missing = dir.resolve("missing.txt");

    assertThat(
            vigil(
                Map.of(),
                "scan",
                "--set",
                "threat_intel.files=" + missing,
                emptyTrail().toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "threat_intel.files: cannot read "
                + missing
                + ": no such file "
                + "(from flag --set threat_intel.files)");
  }

  @Test
  void aMissingRulesDirectoryExitsTwoNamingTheKeyAndWhereItWasSet() throws Exception {
    Path missing = dir.resolve("no-rules");
    Path file = config("detection:\n  rules.dirs: [" + missing + "]\n");

    assertThat(vigil(Map.of(), "scan", "--config", file.toString(), emptyTrail().toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("vigil: configuration error: detection.rules.dirs: " + missing)
        .contains("(from " + file + ":2)");
  }

  @Test
  void aBrokenRuleGivenWithRulesIsNamedByTheOption() throws Exception {
    Path rule = Files.writeString(dir.resolve("broken.yml"), "title: broken\nid: broken-rule\n");

    assertThat(vigil(Map.of(), "scan", "--rules", rule.toString(), emptyTrail().toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--rules: " + rule).contains("(from option --rules)");
  }

  @Test
  void runWithABrokenRuleExitsTwoBeforeStartingAnything() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(rules.resolve("broken.yml"), "title: broken\nid: broken-rule\n");

    assertThat(
            vigil(
                Map.of("VIGIL_DETECTION_RULES_DIRS", rules.toString()),
                "run",
                "--data-dir",
                dir.resolve("data").toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("detection.rules.dirs: " + rules.resolve("broken.yml"))
        .contains("(from environment VIGIL_DETECTION_RULES_DIRS)");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
