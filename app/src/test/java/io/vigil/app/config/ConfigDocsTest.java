package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps the repository's README.md in step with {@link ConfigKeys}.
 *
 * <p>This test lives in the app module and relies on surefire running it with the module directory
 * ({@code app/}) as working directory, so {@code ../README.md} is the README at the repository
 * root.
 */
@DisplayName("app module: README.md config table matches ConfigKeys")
class ConfigDocsTest {

  private static final Path README = Path.of("..", "README.md");

  @Test
  void readmeContainsTheGeneratedTableBetweenTheMarkers() throws IOException {
    String howToFix =
        "Regenerate it: build, run `java -jar deploy/target/vigil.jar config docs` and paste its "
            + "output between the lines "
            + ConfigDocs.BEGIN_MARKER
            + " and "
            + ConfigDocs.END_MARKER
            + " in README.md. The expected table is:\n"
            + ConfigDocs.markdownTable();
    assertThat(README)
        .as(
            "README.md at the repository root, seen from the app module (working dir %s). %s",
            Path.of("").toAbsolutePath(), howToFix)
        .isRegularFile();
    String readme = Files.readString(README);
    int begin = readme.indexOf(ConfigDocs.BEGIN_MARKER);
    int end = readme.indexOf(ConfigDocs.END_MARKER);
    assertThat(begin >= 0 && end > begin)
        .as(
            "README.md has %s followed by %s. %s",
            ConfigDocs.BEGIN_MARKER, ConfigDocs.END_MARKER, howToFix)
        .isTrue();

    String documented = readme.substring(begin + ConfigDocs.BEGIN_MARKER.length(), end).strip();

    assertThat(documented)
        .as("the config table in README.md is out of date. %s", howToFix)
        .isEqualTo(ConfigDocs.markdownTable().strip());
  }
}
