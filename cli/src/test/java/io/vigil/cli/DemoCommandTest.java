package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.demo.Scenarios;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.streams.detection.DetectionEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil demo}'s usage errors and listing, in this JVM, without a pipeline. */
class DemoCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int vigil(String... args) {
    return VigilCommand.execute(
        args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void listPrintsEveryScenarioWithTheRulesItRaises() {
    assertThat(vigil("demo", "--list")).isZero();
    assertThat(out.toString())
        .contains(Scenarios.NAMES)
        .contains("aws-console-brute-force")
        .contains("nothing (benign)")
        .contains("needs phi.buckets");
  }

  @Test
  void unknownScenarioIsAUsageErrorListingTheKnownOnes() {
    assertThat(vigil("demo", "--scenario", "ransomware")).isEqualTo(2);
    assertThat(err.toString())
        .contains("'ransomware'")
        .contains(String.join(", ", Scenarios.NAMES));
  }

  @Test
  void badWaitIsAUsageErrorNamingTheOptionAndTheExpectedForm() {
    assertThat(vigil("demo", "--wait", "a while")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--wait")
        .contains("a duration such as")
        .contains("'a while'");
  }

  @Test
  void withoutARunningPipelineItSaysHowToStartOneAndStartsNoBroker(@TempDir Path dataDir) {
    assertThat(vigil("demo", "--data-dir", dataDir.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("no running pipeline found")
        .contains(dataDir.toString())
        .contains("java -jar deploy/target/vigil.jar run")
        .contains("--bootstrap-servers");
    assertThat(dataDir.resolve("kafka")).doesNotExist();
    assertThat(out.toString()).doesNotContain("Playing");
  }

  @Test
  void thePhiScenarioAloneWithoutAPhiBucketIsAUsageErrorSayingWhatToSet(@TempDir Path dataDir) {
    assertThat(vigil("demo", "--data-dir", dataDir.toString(), "--scenario", "phi-bucket-access"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("nothing to play")
        .contains("phi-bucket-access")
        .contains("--set phi.buckets=patient-records-prod");
  }

  @Test
  void aMissedAlertNamesTheLikeliestReason() {
    VigilConfig disabled =
        VigilConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "detection.rules.disabled",
                "vpc-port-scan",
                "phi.buckets",
                "patient-records-prod"));
    var rules = DetectionEngine.ruleSet(DetectionConfig.settings(disabled, List.of()));
    assertThat(DemoCommand.likelyWhy("vpc-port-scan", rules, disabled))
        .contains("detection.rules.disabled");
    assertThat(DemoCommand.likelyWhy("aws-phi-bucket-access", rules, disabled))
        .contains("phi.buckets")
        .contains("patient-records-prod");
    assertThat(DemoCommand.likelyWhy("aws-root-account-usage", rules, disabled))
        .contains("alerts.update.interval")
        .contains("--wait")
        .contains("/ready");
    assertThat(DemoCommand.likelyWhy("no-such-rule", rules, disabled))
        .contains("no rule with this id is loaded");
  }
}
