package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlFileTest {

  @TempDir Path dir;

  private ConfigFixture fixture() {
    return new ConfigFixture(dir);
  }

  @Test
  void nestedDottedAndMixedFormsAreTheSameKey() {
    VigilConfig nested = fixture().fromYaml("kafka:\n  bootstrap:\n    servers: x:9092\n");
    VigilConfig dotted = fixture().fromYaml("kafka.bootstrap.servers: x:9092\n");
    VigilConfig mixed = fixture().fromYaml("kafka:\n  bootstrap.servers: x:9092\n");
    VigilConfig flow = fixture().fromYaml("kafka: {bootstrap.servers: x:9092}\n");

    for (VigilConfig config : List.of(nested, dotted, mixed, flow)) {
      assertThat(config.get(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("x:9092");
    }
  }

  @Test
  void originNamesFileAndLineOfTheKey() {
    VigilConfig config =
        fixture()
            .fromYaml(
                """
                # comment
                topics:
                  partitions: 6
                """);

    assertThat(config.origin(ConfigKeys.TOPICS_PARTITIONS))
        .isEqualTo(dir.resolve("vigil.yaml") + ":3");
  }

  @Test
  void unknownKeyIsReportedWithLineAndSuggestion() {
    assertThatThrownBy(
            () ->
                fixture()
                    .fromYaml(
                        """
                        data.dir: /tmp/v
                        http:
                          prot: 8080
                        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "http.prot: unknown key; did you mean http.port? (from "
                + dir.resolve("vigil.yaml")
                + ":3)");
  }

  @Test
  void unknownKeyFarFromAnyKeyHasNoSuggestion() {
    assertThatThrownBy(() -> fixture().fromYaml("completely.different: 1\n"))
        .hasMessageStartingWith("completely.different: unknown key (from ");
  }

  @Test
  void mapWhereScalarExpectedIsAnError() {
    assertThatThrownBy(() -> fixture().fromYaml("http:\n  port:\n    number: 1\n"))
        .hasMessageContaining("http.port: expected a port number 0-65535, got a map (from ")
        .hasMessageContaining("vigil.yaml:2)");
  }

  @Test
  void listWhereScalarExpectedIsAnError() {
    assertThatThrownBy(() -> fixture().fromYaml("http.host: [a, b]\n"))
        .hasMessageContaining("http.host: expected a value, got a list");
  }

  @Test
  void malformedYamlIsReportedWithLine() {
    assertThatThrownBy(() -> fixture().fromYaml("http:\n  port: 1\n  host: [unclosed\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.yaml:")
        .hasMessageContaining("malformed YAML");
    assertThatThrownBy(() -> fixture().fromYaml("a: 1\n b: 2\n"))
        .hasMessageContaining("vigil.yaml:2: malformed YAML");
  }

  @Test
  void missingFileIsAnError() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> VigilConfig.load(Optional.of(missing), Map.of(), Map.of()))
        .hasMessage("config file " + missing + ": not found");
  }

  @Test
  void topLevelThatIsNotAMapIsAnError() {
    assertThatThrownBy(() -> fixture().fromYaml("- a\n- b\n"))
        .hasMessageContaining("the top level must be a map of settings");
  }

  @Test
  void emptyFileAndEmptySectionsSetNothing() {
    VigilConfig empty = fixture().fromYaml("# nothing yet\n");
    VigilConfig emptySection = fixture().fromYaml("kafka:\n  # bootstrap.servers: x\nhttp:\n");

    assertThat(empty.get(ConfigKeys.HTTP_PORT)).isEqualTo(8080);
    assertThat(emptySection.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).isEmpty();
  }

  @Test
  void sameKeySetTwiceInNestedAndDottedFormIsAnError() {
    assertThatThrownBy(() -> fixture().fromYaml("http.port: 1\nhttp:\n  port: 2\n"))
        .hasMessageContaining("http.port: set twice in the file (first on line 1)")
        .hasMessageContaining("vigil.yaml:3)");
  }

  @Test
  void yamlScalarsKeepTheirWrittenTextForStringKeys() {
    // YAML 1.1 would read these as a boolean and an octal number.
    VigilConfig config = fixture().fromYaml("topics.alerts: yes\ntopics.dlq: 010\n");

    assertThat(config.get(ConfigKeys.TOPICS_ALERTS)).isEqualTo("yes");
    assertThat(config.get(ConfigKeys.TOPICS_DLQ)).isEqualTo("010");
  }
}
