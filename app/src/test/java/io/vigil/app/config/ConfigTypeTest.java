package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigTypeTest {

  private static <T> T parse(ConfigType<T> type, String text) throws BadValueException {
    return type.parse(new RawValue.Text(text));
  }

  private static String error(ConfigType<?> type, String text) {
    try {
      type.parse(new RawValue.Text(text));
    } catch (BadValueException e) {
      return e.describe(false);
    }
    throw new AssertionError("expected '" + text + "' to be rejected by " + type);
  }

  @Test
  void durationListParsesEveryElementAndNamesTheBadOne() throws Exception {
    assertThat(parse(ConfigType.DURATION_LIST, "1m, 1h"))
        .containsExactly(Duration.ofMinutes(1), Duration.ofHours(1));
    assertThat(error(ConfigType.DURATION_LIST, "1m,soon")).contains("'soon'");
    assertThat(ConfigType.DURATION_LIST.format(List.of(Duration.ofMinutes(1), Duration.ofHours(1))))
        .isEqualTo("1m,1h");
  }

  @Test
  void httpUrlNeedsAnHttpSchemeAndAHost() throws Exception {
    assertThat(parse(ConfigType.HTTP_URL, " http://localhost:4566 "))
        .isEqualTo("http://localhost:4566");
    assertThat(parse(ConfigType.HTTP_URL, "https://registry.example.com:8081/"))
        .isEqualTo("https://registry.example.com:8081/");
    assertThat(error(ConfigType.HTTP_URL, "localhost:4566"))
        .isEqualTo("expected an http or https URL such as https://host:8081, got 'localhost:4566'");
    assertThat(error(ConfigType.HTTP_URL, "http://bad host")).contains("got 'http://bad host'");
    assertThat(error(ConfigType.HTTP_URL, "ftp://files")).contains("got 'ftp://files'");
  }

  @Test
  void topicAndCidrListUseTheRulesOfKafkaAndOfTheRules() throws Exception {
    assertThat(parse(ConfigType.TOPIC, "acme.alerts")).isEqualTo("acme.alerts");
    assertThat(error(ConfigType.TOPIC, "acme alerts")).contains("a legal Kafka topic name");
    assertThat(parse(ConfigType.CIDR_LIST, "203.0.113.0/24, 2001:db8::/32,198.51.100.7"))
        .containsExactly("203.0.113.0/24", "2001:db8::/32", "198.51.100.7");
    assertThat(error(ConfigType.CIDR_LIST, "10.0.0.0/8,10.0.0.0/40")).contains("got '10.0.0.0/40'");
  }

  @Test
  void stringIsTakenAsWritten() throws Exception {
    assertThat(parse(ConfigType.STRING, " a b ")).isEqualTo(" a b ");
  }

  @Test
  void intAcceptsSignedIntegersAndRejectsTheRest() throws Exception {
    assertThat(parse(ConfigType.INT, "-1")).isEqualTo(-1);
    assertThat(parse(ConfigType.INT, " 42 ")).isEqualTo(42);
    assertThat(error(ConfigType.INT, "4.2")).isEqualTo("expected an integer, got '4.2'");
    assertThat(error(ConfigType.INT, "99999999999"))
        .isEqualTo("expected an integer, got '99999999999'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "8080", "65535"})
  void portAcceptsZeroTo65535(String text) throws Exception {
    assertThat(parse(ConfigType.PORT, text)).isEqualTo(Integer.valueOf(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536", "abc", "80a"})
  void portRejectsOutOfRangeAndNonNumbers(String text) {
    assertThat(error(ConfigType.PORT, text))
        .isEqualTo("expected a port number 0-65535, got '" + text + "'");
  }

  @Test
  void booleanAcceptsOnlyTrueOrFalseInAnyCase() throws Exception {
    assertThat(parse(ConfigType.BOOLEAN, "TRUE")).isTrue();
    assertThat(parse(ConfigType.BOOLEAN, "false")).isFalse();
    assertThat(error(ConfigType.BOOLEAN, "yes")).isEqualTo("expected true or false, got 'yes'");
  }

  @ParameterizedTest
  @CsvSource({
    "10s, PT10S",
    "500ms, PT0.5S",
    "15m, PT15M",
    "1h, PT1H",
    "2d, PT48H",
    "PT10S, PT10S",
    "pt1m30s, PT1M30S",
    "0s, PT0S"
  })
  void durationAcceptsShortFormsAndIso8601(String text, String iso) throws Exception {
    assertThat(parse(ConfigType.DURATION, text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "10 sec", "-5s", "PT-10S", "soon", "1.5h"})
  void durationRejectsMissingUnitsNegativesAndNonsense(String text) {
    assertThat(error(ConfigType.DURATION, text))
        .isEqualTo(
            "expected a duration such as 500ms, 10s, 15m, 1h, 2d or PT10S, got '" + text + "'");
  }

  @Test
  void durationPrintsInTheShortestExactUnit() {
    assertThat(ConfigType.DURATION.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(ConfigType.DURATION.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(ConfigType.DURATION.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(ConfigType.DURATION.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(ConfigType.DURATION.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void pathIsResolvedLazilyAsGiven() throws Exception {
    assertThat(parse(ConfigType.PATH, "./vigil-data")).isEqualTo(Path.of("./vigil-data"));
  }

  @Test
  void stringListSplitsCommaSeparatedText() throws Exception {
    assertThat(parse(ConfigType.STRING_LIST, "a, b,,c ")).containsExactly("a", "b", "c");
    // A flag or variable says "none" with [], where empty text leaves the key unset.
    assertThat(parse(ConfigType.STRING_LIST, " [] ")).isEmpty();
  }

  @Test
  void enumMatchesCaseInsensitivelyAndListsAllowedValuesOnError() throws Exception {
    ConfigType<String> guarantee = ConfigType.enumOf("exactly_once_v2", "at_least_once");

    assertThat(parse(guarantee, "AT_LEAST_ONCE")).isEqualTo("at_least_once");
    assertThat(error(guarantee, "exactly_once"))
        .isEqualTo("expected one of exactly_once_v2, at_least_once, got 'exactly_once'");
  }

  @Test
  void enumRefusesUpperCaseOrDuplicateAllowedValues() {
    assertThatThrownBy(() -> ConfigType.enumOf("A")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfigType.enumOf("a", "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void structureFromTextParsesYamlOrJson() throws Exception {
    JsonNode json = parse(ConfigType.STRUCTURE, "[{\"type\": \"slack\", \"retries\": 3}]");
    JsonNode yaml = parse(ConfigType.STRUCTURE, "- type: slack\n  retries: 3\n");

    assertThat(json).isEqualTo(yaml);
    assertThat(json.get(0).get("retries").isInt()).isTrue();
  }

  @Test
  void structurePrintsWithSecretLookingFieldsMasked() throws Exception {
    JsonNode sinks =
        parse(ConfigType.STRUCTURE, "[{type: slack, token: xoxb-123, auth: {password: p}}]");

    assertThat(ConfigType.STRUCTURE.format(sinks))
        .isEqualTo("[{\"type\":\"slack\",\"token\":\"****\",\"auth\":{\"password\":\"****\"}}]");
    assertThat(sinks.get(0).get("token").asText()).isEqualTo("xoxb-123");
  }

  @Test
  void keyDefaultMustFitItsType() {
    assertThatThrownBy(() -> ConfigKey.of("x.mode", ConfigType.enumOf("a", "b"), "c", "Mode."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.mode: default does not fit its type");
    assertThatThrownBy(() -> ConfigKey.of("x.port", ConfigType.PORT, 70_000, "Port."))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyNamesAreLowerCaseDottedWords() {
    assertThatThrownBy(() -> ConfigKey.of("Http.Port", ConfigType.PORT, 1, "d."))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfigKey.of("http-port", ConfigType.PORT, 1, "d."))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyListDefaultIsAllowed() {
    assertThat(ConfigKey.of("x.list", ConfigType.STRING_LIST, List.of(), "L.").defaultValue())
        .contains(List.of());
  }
}
