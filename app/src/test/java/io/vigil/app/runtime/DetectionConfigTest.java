package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.config.ConfigException;
import io.vigil.app.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionConfigTest {

  @TempDir Path dir;

  @Test
  void postureKeepsDeletedResourcesSevenDaysUnlessConfigured() {
    VigilConfig defaults = VigilConfig.load(Optional.empty(), Map.of(), Map.of());
    VigilConfig configured =
        VigilConfig.load(
            Optional.empty(), Map.of("VIGIL_POSTURE_DELETED_RETENTION", "36h"), Map.of());

    assertThat(DetectionConfig.posture(defaults).deletedRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(DetectionConfig.posture(configured).deletedRetention())
        .isEqualTo(Duration.ofHours(36));
  }

  @Test
  void aThreatIntelFileLineThatIsNotANetworkIsNamedWithItsFileLineAndTheKey() throws Exception {
    Path list =
        Files.writeString(dir.resolve("threats.txt"), "# feed\n203.0.113.0/24\nnot-a-cidr\n");
    Path missing = dir.resolve("missing.txt");
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(), Map.of("VIGIL_THREAT_INTEL_FILES", list + "," + missing), Map.of());

    assertThatThrownBy(() -> DetectionConfig.settings(config, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "threat_intel.files: "
                + list
                + ":3: 'not-a-cidr' is not an IPv4 or IPv6 network "
                + "(from environment VIGIL_THREAT_INTEL_FILES)"
                + System.lineSeparator()
                + "threat_intel.files: cannot read "
                + missing
                + ": no such file (from environment VIGIL_THREAT_INTEL_FILES)");
  }

  @Test
  void aRuleThatDoesNotLoadNamesTheSettingThatBroughtItIn() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(
        rules.resolve("broken.yml"), "title: broken\nid: broken-rule\nlogsource: {product: aws}\n");
    Path extra = dir.resolve("no-such-dir");
    VigilConfig config =
        VigilConfig.load(
            Optional.empty(), Map.of(), Map.of("detection.rules.dirs", rules.toString()));

    ConfigException e =
        (ConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    DetectionConfig.engine(
                        config, DetectionConfig.settings(config, List.of(extra)), List.of(extra)));

    assertThat(e.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("detection.rules.dirs: " + rules.resolve("broken.yml"))
                    .endsWith("(from flag --set detection.rules.dirs)"));
    assertThat(e.problems())
        .anySatisfy(
            p -> assertThat(p).startsWith("--rules: " + extra).endsWith("(from option --rules)"));
  }
}
