package io.vigil.streams.detection;

import static io.vigil.streams.detection.TestEvents.ct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.Alert;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bundled SigmaHQ pack: loaded by default, curated by its manifest, switched off by config. */
class RulePackTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final String BUCKET_DELETED = "39c9f26d-6e3b-4dbb-9c7a-4154b0281112";
  private static final String DISABLE_LOGGING = "4db60cc0-36fb-42b7-9b58-a5b53019fb74";
  private static final Path PACK = Path.of("src", "main", "resources", "rules", "packs", "sigmahq");

  private DetectionRunner runner;

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private static Set<String> packIds() throws IOException {
    Set<String> ids = new HashSet<>();
    try (var files = Files.list(PACK)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        Files.readAllLines(file).stream()
            .filter(l -> l.startsWith("id: "))
            .forEach(l -> ids.add(l.substring(4).trim()));
      }
    }
    return ids;
  }

  @Test
  void everyRuleOfThePackLoadsAndRunsOrIsOffWithAReason() throws IOException {
    RuleSet set = DetectionEngine.ruleSet(DetectionSettings.DEFAULTS);
    assertThat(set.loadErrors()).isEmpty();
    Set<String> pack = packIds();
    assertThat(pack).hasSize(58);
    Set<String> running = new HashSet<>();
    set.rules().stream().map(SigmaRule::id).filter(pack::contains).forEach(running::add);
    assertThat(set.off().keySet()).allMatch(pack::contains);
    assertThat(set.off().values()).allSatisfy(reason -> assertThat(reason).isNotBlank());
    Set<String> accounted = new HashSet<>(running);
    accounted.addAll(set.off().keySet());
    assertThat(accounted).isEqualTo(pack);
    assertThat(running).doesNotContainAnyElementsOf(set.off().keySet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"topology", "scan"})
  void aPackRuleRaisesWithItsAuthorAndOneMeaningRaisesOneAlert(String kind) {
    DetectionEngine engine = DetectionEngine.load(DetectionSettings.DEFAULTS);
    runner = DetectionRunner.of(kind, engine, DetectionSettings.DEFAULTS);
    runner.cloudTrail(
        ct("s3.amazonaws.com", "DeleteBucket", T0).request("{\"bucketName\":\"b\"}").build());
    runner.cloudTrail(
        ct("cloudtrail.amazonaws.com", "StopLogging", T0).request("{\"name\":\"t\"}").build());

    List<Alert> alerts = runner.alerts();
    assertThat(alerts)
        .filteredOn(a -> a.getRuleId().equals(BUCKET_DELETED))
        .singleElement()
        .satisfies(a -> assertThat(a.getRuleAuthor()).contains("Nasreddine Bencherchali"));
    assertThat(alerts).extracting(Alert::getRuleId).contains("aws-cloudtrail-logging-disabled");
    assertThat(alerts).extracting(Alert::getRuleId).doesNotContain(DISABLE_LOGGING);
  }

  @Test
  void noPacksMeansTheBuiltInRulesAlone() {
    RuleSet set = DetectionEngine.ruleSet(DetectionSettings.DEFAULTS.withPacks(List.of()));
    assertThat(set.rules()).extracting(SigmaRule::id).doesNotContain(BUCKET_DELETED);
    assertThat(set.off()).isEmpty();
    assertThat(set.rules()).extracting(SigmaRule::id).contains("aws-root-account-usage");
  }

  @Test
  void aPackRuleTurnedOffRunsWhenTheOperatorGivesItAgain(@TempDir Path dir) throws IOException {
    Files.copy(
        PACK.resolve("aws_cloudtrail_disable_logging.yml"), dir.resolve("disable_logging.yml"));
    RuleSet set =
        DetectionEngine.ruleSet(DetectionSettings.DEFAULTS.withUserRulePaths(List.of(dir)));
    assertThat(set.rules()).extracting(SigmaRule::id).contains(DISABLE_LOGGING);
    assertThat(set.off()).doesNotContainKey(DISABLE_LOGGING);
  }

  @Test
  void anUnknownPackIsRefusedNamingTheBundledOnes() {
    assertThatThrownBy(() -> RulePack.bundled("elastic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no rule pack 'elastic' (bundled: sigmahq)");
  }
}
