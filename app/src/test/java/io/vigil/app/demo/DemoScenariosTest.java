package io.vigil.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.app.runtime.IngestComponents;
import io.vigil.app.scan.DetectorFeed;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.schemas.Alert;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.OfflineDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled {@code vigil demo} scenarios against the built-in rules, through the same decoder and
 * offline detector as {@code vigil scan}: each scenario decodes cleanly and raises exactly the
 * rules it names, benign events raise nothing. Keeps the scenarios and the rules from drifting
 * apart.
 */
class DemoScenariosTest {

  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final VigilConfig CONFIG =
      VigilConfig.load(
          Optional.empty(),
          Map.of(),
          Map.of(
              "phi.buckets", "patient-records-prod",
              "phi.allowed_principals", "arn:aws:iam::111122223333:role/ehr-app"));

  private final DetectionSettings settings = DetectionConfig.settings(CONFIG, List.of());
  private final DetectionEngine engine = DetectionEngine.load(settings);
  private final LogDecoder decoder = IngestComponents.decoder(CONFIG);

  static List<String> names() {
    return Scenarios.NAMES;
  }

  @Test
  void everyScenarioFileInTheJarIsListedAndEveryListedScenarioHasAFile() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "demo"))) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".yml"))
                  .map(n -> n.substring(0, n.length() - 4))
                  .collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(Scenarios.NAMES);
    }
  }

  @Test
  void theCatalogueCoversTheAttackStoriesAndHasABenignScenario() {
    Set<String> expected =
        Scenarios.all().stream().flatMap(s -> s.expect().stream()).collect(Collectors.toSet());
    assertThat(expected)
        .contains(
            "aws-root-account-usage",
            "aws-cloudtrail-logging-disabled",
            "aws-console-login-without-mfa",
            "aws-console-brute-force",
            "aws-security-group-open-to-world",
            "aws-s3-bucket-public",
            "aws-phi-bucket-access",
            "vpc-port-scan",
            "vpc-data-exfiltration");
    assertThat(Scenarios.all()).anyMatch(Scenario::benign);
  }

  @ParameterizedTest
  @MethodSource("names")
  void scenarioDecodesWithoutRejectionsAndRaisesExactlyItsExpectedRules(String name)
      throws IOException {
    Scenario scenario = Scenarios.load(name);
    Detected detected = detect(List.of(render(scenario, NOW, 1)));

    assertThat(detected.rejections).isEmpty();
    assertThat(detected.records).isPositive();
    assertThat(detected.ruleIds()).containsExactlyInAnyOrderElementsOf(scenario.expect());
  }

  @ParameterizedTest
  @MethodSource("names")
  void aRunAtAnyMomentRaisesTheScenariosRulesWithItsBurstsInsideAlignedWindows(String name)
      throws IOException {
    // Correlation windows are aligned on their timespan: played at its reference time, a burst is
    // never split between two windows, whatever second of a 10-minute window the demo starts at.
    Scenario scenario = Scenarios.load(name);
    for (long second = 0; second < 600; second += 37) {
      Instant wallClock = NOW.plusSeconds(second);
      Instant reference = ScenarioRenderer.referenceTime(wallClock);
      assertThat(reference).isBefore(wallClock).isAfter(wallClock.minusSeconds(601));
      Detected detected = detect(List.of(render(scenario, reference, second)));
      assertThat(detected.ruleIds())
          .as("%s played at %s", name, wallClock)
          .containsExactlyInAnyOrderElementsOf(scenario.expect());
    }
  }

  @Test
  void allScenariosTogetherRaiseEachScenarioItsOwnRulesAndTheBenignOneNothing() throws IOException {
    List<Run> runs = new ArrayList<>();
    for (Scenario scenario : Scenarios.all()) {
      runs.add(render(scenario, NOW, scenario.name().hashCode()));
    }
    Detected detected = detect(runs);

    assertThat(detected.rejections).isEmpty();
    for (Run run : runs) {
      Set<String> raised =
          detected.alerts.stream()
              .filter(a -> run.refs.stream().anyMatch(a.getEventIds()::contains))
              .map(Alert::getRuleId)
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(raised)
          .as(run.rendered.scenario().name())
          .containsExactlyInAnyOrderElementsOf(run.rendered.scenario().expect());
    }
  }

  @Test
  void aSecondRunFortySecondsLaterHasFreshIdsAndRaisesEveryExpectedRuleAgain() throws IOException {
    List<Run> first = new ArrayList<>();
    List<Run> second = new ArrayList<>();
    for (Scenario scenario : Scenarios.all()) {
      first.add(render(scenario, NOW, scenario.name().hashCode()));
      second.add(render(scenario, NOW.plusSeconds(40), scenario.name().hashCode() + 1L));
    }
    List<Run> both = new ArrayList<>(first);
    both.addAll(second);
    Detected detected = detect(both);

    for (int i = 0; i < first.size(); i++) {
      Run again = second.get(i);
      assertThat(again.refs).doesNotContainAnyElementsOf(first.get(i).refs);
      Set<String> raised =
          detected.alerts.stream()
              .filter(a -> again.refs.stream().anyMatch(a.getEventIds()::contains))
              .map(Alert::getRuleId)
              .collect(Collectors.toSet());
      assertThat(raised)
          .as(again.rendered.scenario().name())
          .containsExactlyInAnyOrderElementsOf(again.rendered.scenario().expect());
    }
  }

  @Test
  void eventTimesAreSpreadBeforeTheRunAndEveryEventIdIsNew() throws IOException {
    Run run = render(Scenarios.load("console-brute-force"), NOW, 3);
    List<CloudTrailEvent> events = new ArrayList<>();
    run.rendered.decode(
        decoder,
        new DecodeListener() {
          @Override
          public void cloudTrail(CloudTrailEvent event, String position) {
            events.add(event);
          }

          @Override
          public void flow(FlowRecord record, String position) {}

          @Override
          public void rejected(Rejected rejected) {}
        });
    assertThat(events)
        .extracting(CloudTrailEvent::getEventTimeMillis)
        .first()
        .isEqualTo(NOW.minusSeconds(150));
    assertThat(events)
        .extracting(CloudTrailEvent::getEventTimeMillis)
        .last()
        .isEqualTo(NOW.minusSeconds(25));
    assertThat(events)
        .extracting(CloudTrailEvent::getEventID)
        .doesNotHaveDuplicates()
        .allMatch(
            id ->
                id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    String attacker = run.rendered.addresses().get("attacker");
    assertThat(attacker).startsWith("203.0.113.");
    assertThat(events).allMatch(e -> e.getSourceIPAddress().equals(attacker));
  }

  @Test
  void thePhiScenarioCannotBeRenderedWithoutAPhiBucket() {
    Scenario phi = Scenarios.load("phi-bucket-access");
    assertThat(phi.requires()).containsExactly("phi.buckets");
    assertThatThrownBy(() -> new ScenarioRenderer(NOW, Optional.empty(), new Random(1)).render(phi))
        .hasMessageContaining("phi-bucket-access")
        .hasMessageContaining("phi.buckets");
  }

  @Test
  void anUnknownScenarioNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Scenarios.load("ransomware"))
        .hasMessageContaining("ransomware")
        .hasMessageContaining("root-account-use")
        .hasMessageContaining("port-scan");
  }

  private Run render(Scenario scenario, Instant now, long seed) throws IOException {
    RenderedScenario rendered =
        new ScenarioRenderer(now, Optional.of("patient-records-prod"), new Random(seed))
            .render(scenario);
    Set<String> refs = new HashSet<>();
    rendered.decode(
        decoder,
        new DecodeListener() {
          @Override
          public void cloudTrail(CloudTrailEvent event, String position) {
            refs.add(event.getEventID());
          }

          @Override
          public void flow(FlowRecord record, String position) {
            refs.add(record.getRecordRef());
          }

          @Override
          public void rejected(Rejected rejected) {}
        });
    return new Run(rendered, refs);
  }

  private Detected detect(List<Run> runs) throws IOException {
    Map<String, Alert> latest = new LinkedHashMap<>();
    List<String> rejections = new ArrayList<>();
    // As the demo's pipeline sees them: played minutes ago, so a trail stopped in them has not
    // been missing for long enough to be raised as not restarted.
    OfflineDetector detector =
        new OfflineDetector(
            engine,
            settings,
            a -> latest.put(a.getDedupKey(), a),
            () -> NOW.plus(Duration.ofMinutes(20)).toEpochMilli());
    DetectorFeed feed =
        new DetectorFeed(
            detector, r -> rejections.add(r.getSourceLocation() + ": " + r.getMessage()));
    for (Run run : runs) {
      run.rendered.decode(decoder, feed);
    }
    detector.finish();
    return new Detected(List.copyOf(latest.values()), rejections, feed.records());
  }

  private record Run(RenderedScenario rendered, Set<String> refs) {}

  private record Detected(List<Alert> alerts, List<String> rejections, long records) {
    Set<String> ruleIds() {
      return alerts.stream().map(Alert::getRuleId).collect(Collectors.toSet());
    }
  }
}
