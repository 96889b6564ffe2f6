package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.app.access.Users;
import io.vigil.schemas.Durations;
import io.vigil.sinks.SinkDefinition;
import io.vigil.sinks.http.PagerDutySink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys whose values are structures or checked across keys: sinks, accounts.names, topics,
 * threat intel.
 */
class StructuredKeysTest {

  @TempDir Path dir;

  private VigilConfig fromYaml(String yaml, Map<String, String> env) {
    return VigilConfig.load(Optional.of(new ConfigFixture(dir).yaml(yaml)), env, Map.of());
  }

  @Test
  void sinksAreCheckedAtLoadAndTakeTheOneDurationGrammar() {
    VigilConfig config =
        fromYaml(
            """
            sinks:
              - type: pagerduty
                name: oncall
                routing_key: ${PD_KEY}
                max_backoff: 2d
            """,
            Map.of("PD_KEY", "R0UT1NG"));

    SinkDefinition oncall = config.get(ConfigKeys.SINKS).definitions().get(0);
    assertThat(oncall.retry().maxBackoff()).isEqualTo(Duration.ofDays(2));
    assertThat(((PagerDutySink.Config) oncall.config()).routingKey().reveal()).isEqualTo("R0UT1NG");
  }

  @Test
  void aBadSinkDurationHasTheSameMessageAsABadKeyDurationEachWithItsOrigin() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                fromYaml(
                    """
                    alerts:
                      update.interval: soon
                    sinks:
                      - {type: stdout, name: console}
                      - type: webhook
                        name: hook
                        url: https://example.com/x
                        timeout: soon
                    """,
                    Map.of()));

    Path file = dir.resolve("vigil.yaml");
    assertThat(e.problems())
        .containsExactly(
            "alerts.update.interval: " + Durations.problem("soon") + " (from " + file + ":2)",
            "sinks[1] 'hook': timeout: " + Durations.problem("soon") + " (from " + file + ":5)");
  }

  @Test
  void everyBadSinkEntryIsReportedOnItsOwnLine() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                fromYaml(
                    """
                    sinks:
                      - type: carrier-pigeon
                        name: birds
                      - {type: slack, name: chat, url: "https://hooks.slack.com/x", colour: red}
                    """,
                    Map.of()));

    Path file = dir.resolve("vigil.yaml");
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0))
        .isEqualTo(
            "sinks[0] 'birds': type: unknown sink type 'carrier-pigeon'; known: "
                + "[stdout, webhook, pagerduty, slack, splunk-hec, kafka, s3] (from "
                + file
                + ":2)");
    assertThat(e.problems().get(1))
        .startsWith("sinks[1] 'chat': colour: unknown key for this sink type; known: [")
        .endsWith("] (from " + file + ":4)");
  }

  @Test
  void sinksFromTheEnvironmentAreNamedByTheirVariable() {
    assertThatThrownBy(
            () ->
                VigilConfig.load(
                    Optional.empty(), Map.of("VIGIL_SINKS", "[{type: stdout}]"), Map.of()))
        .hasMessage("sinks[0]: name: required (from environment VIGIL_SINKS)");
  }

  @Test
  void anUnsetVariableIsAnErrorOnlyWhereTheSinksRun() {
    VigilConfig config =
        fromYaml(
            """
            sinks:
              - type: webhook
                name: soar
                url: ${WEBHOOK_URL}
            """,
            Map.of());

    assertThatThrownBy(() -> config.get(ConfigKeys.SINKS).definitions())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "sinks[0] 'soar': url: environment variable WEBHOOK_URL is not set (from "
                + dir.resolve("vigil.yaml")
                + ":2)");
  }

  @Test
  void printedSinksMaskEverySecretButShowReferences() {
    VigilConfig config =
        fromYaml(
            """
            sinks:
              - type: slack
                name: chat
                url: https://hooks.slack.com/services/T0/B0/sup3rs3cret
              - type: webhook
                name: soar
                url: ${WEBHOOK_URL}
                headers: {X-Api-Key: h3ader}
                secret: hmac-s3cret
            """,
            Map.of("WEBHOOK_URL", "https://soar.example.com/hook"));

    assertThat(config.describe())
        .doesNotContain("sup3rs3cret", "h3ader", "hmac-s3cret", "soar.example.com")
        .contains(
            "sinks = [{\"type\":\"slack\",\"name\":\"chat\","
                + "\"url\":\"https://hooks.slack.com/***\"}")
        .contains("\"url\":\"${WEBHOOK_URL}\"");
  }

  @Test
  void accountNamesAreAMapAndABadEntryIsNamedWithItsLine() {
    VigilConfig config =
        fromYaml(
            "accounts:\n  names:\n    \"111122223333\": prod\n    444455556666: dev\n", Map.of());
    assertThat(config.get(ConfigKeys.ACCOUNTS_NAMES))
        .containsExactly(Map.entry("111122223333", "prod"), Map.entry("444455556666", "dev"));
    assertThat(config.describe())
        .contains("accounts.names = {\"111122223333\":\"prod\",\"444455556666\":\"dev\"}");

    assertThatThrownBy(
            () ->
                fromYaml(
                    "accounts.names:\n  \"111122223333\": prod\n  \"444455556666\": [dev]\n",
                    Map.of()))
        .hasMessage(
            "accounts.names.444455556666: expected a name, got a list (from "
                + dir.resolve("vigil.yaml")
                + ":3)");
    assertThatThrownBy(
            () ->
                VigilConfig.load(
                    Optional.empty(), Map.of("VIGIL_ACCOUNTS_NAMES", "[prod]"), Map.of()))
        .hasMessage(
            "accounts.names: expected a map of account id to name, got a list (from environment"
                + " VIGIL_ACCOUNTS_NAMES)");
  }

  @Test
  void usersAreNamedWithARoleAndATokenFromTheEnvironmentOrItsDigest() {
    String aliceToken = "alice-0123456789abcdefghij";
    VigilConfig config =
        fromYaml(
            """
            http.users:
              - {name: alice, role: analyst, token: "${ALICE_TOKEN}"}
              - name: bob
                role: viewer
                token_sha256: %s
            """
                .formatted(
                    java.util.HexFormat.of().formatHex(Users.sha256("bob-0123456789abcdefghijkl"))),
            Map.of("ALICE_TOKEN", aliceToken));

    Users users = config.get(ConfigKeys.HTTP_USERS);
    assertThat(users.withToken(aliceToken))
        .hasValueSatisfying(u -> assertThat(u).hasToString("alice (analyst)"));
    assertThat(users.withToken("bob-0123456789abcdefghijkl"))
        .hasValueSatisfying(u -> assertThat(u).hasToString("bob (viewer)"));
    assertThat(users.withToken("${ALICE_TOKEN}")).isEmpty();
    assertThat(config.describe()).doesNotContain(aliceToken);
  }

  @Test
  void everyBadUserIsReportedOnItsLineWithoutEchoingTokens() {
    String shortToken = "short-secret";
    assertThatThrownBy(
            () ->
                fromYaml(
                    """
                    http.users:
                      - {name: alice, role: analyst, token: %s}
                      - {name: bob, role: reader, token: "${BOB_TOKEN}"}
                      - {name: carol, role: viewer}
                      - {name: "dave smith", role: admin, token_sha256: abc, tokn: x}
                    """
                        .formatted(shortToken),
                    Map.of()))
        .hasMessageContaining(
            "http.users[0] 'alice': token: expected a token of at least 22 characters")
        .hasMessageContaining(
            "http.users[1] 'bob': role: expected one of viewer, analyst, admin, got 'reader'")
        .hasMessageContaining(
            "http.users[2] 'carol': expected exactly one of token and token_sha256")
        .hasMessageContaining("http.users[3]: unknown key 'tokn'")
        .hasMessageContaining(
            "http.users[3]: name: expected letters, digits and . _ @ + - (at most 64), got 'dave"
                + " smith'")
        .hasMessageContaining("vigil.yaml:5)")
        .message()
        .doesNotContain(shortToken);
  }

  @Test
  void aTokenFromAnUnsetVariableStopsOnlyWhatServesHttp() {
    // vigil demo in another terminal loads the same file without the pipeline's secrets.
    VigilConfig config =
        fromYaml(
            """
            http.users:
              - {name: alice, role: analyst, token: "${ALICE_TOKEN}"}
            """,
            Map.of());
    Users users = config.get(ConfigKeys.HTTP_USERS);
    assertThat(users.configured()).isTrue();
    assertThat(users.all()).isEmpty();
    assertThatThrownBy(users::requireResolved)
        .hasMessage(
            "http.users[0] 'alice': token: environment variable ALICE_TOKEN is not set (from "
                + dir.resolve("vigil.yaml")
                + ":2)");
  }

  @Test
  void twoUsersWithOneTokenAreRefused() {
    assertThatThrownBy(
            () ->
                fromYaml(
                    """
                    http.users:
                      - {name: alice, role: analyst, token: "${SHARED}"}
                      - {name: bob, role: viewer, token: "${SHARED}"}
                    """,
                    Map.of("SHARED", "shared-0123456789abcdefghij")))
        .hasMessageStartingWith(
            "http.users: users 'alice' and 'bob' have the same token: a token must say who acted");
  }

  @Test
  void topicNamesMustBeLegalAndDistinct() {
    assertThatThrownBy(() -> ConfigFixture.fromFlags(Map.of("topics.alerts", "bad topic")))
        .hasMessage(
            "topics.alerts: expected a legal Kafka topic name (1-249 of a-z A-Z 0-9 . _ -), got"
                + " 'bad topic' (from flag --set topics.alerts)");
    assertThatThrownBy(() -> ConfigFixture.fromFlags(Map.of("topics.alerts", "vigil.dlq")))
        .hasMessage(
            "topics.alerts: 'vigil.dlq' is already the name of topics.dlq (from flag --set"
                + " topics.alerts)");
    assertThatThrownBy(
            () -> ConfigFixture.fromEnv(Map.of("VIGIL_TOPICS_DLQ", "vigil.ingest.checkpoints")))
        .hasMessage(
            "topics.dlq: 'vigil.ingest.checkpoints' is already the name of the checkpoints topic "
                + "(from environment VIGIL_TOPICS_DLQ)");
    assertThat(
            ConfigFixture.fromFlags(Map.of("topics.alerts", "acme.alerts"))
                .get(ConfigKeys.TOPICS_ALERTS))
        .isEqualTo("acme.alerts");
  }

  @Test
  void topicKeysDefaultToTheNamesOfVigilTopics() {
    assertThat(ConfigKeys.topicKeys())
        .allSatisfy(
            (logical, key) -> {
              assertThat(key.name()).isEqualTo("topics." + logical);
              assertThat(key.defaultValue())
                  .contains(io.vigil.schemas.VigilTopics.DEFAULT_NAMES.get(logical));
            });
    assertThat(ConfigKeys.topicKeys())
        .containsKeys("cloudtrail", "vpcflow", "alerts", "aggregates", "posture", "dlq");
  }

  @Test
  void threatIntelCidrsAreCheckedAtLoad() {
    assertThatThrownBy(
            () -> ConfigFixture.fromFlags(Map.of("threat_intel.cidrs", "10.0.0.0/8,300.1.1.1/8")))
        .hasMessage(
            "threat_intel.cidrs: expected a list of networks such as 203.0.113.0/24 or"
                + " 2001:db8::/32, got '300.1.1.1/8' (from flag --set threat_intel.cidrs)");
  }
}
