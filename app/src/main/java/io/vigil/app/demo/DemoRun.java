package io.vigil.app.demo;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.ConfigType;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.app.runtime.IngestComponents;
import io.vigil.app.runtime.KafkaSession;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.schemas.Alert;
import io.vigil.sigma.model.RuleSet;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What {@code vigil demo} runs: replays attack scenarios ({@link Scenarios}) into a running
 * pipeline, through the ingest decoder and publisher like any log file, then watches the alerts
 * topic until each scenario's expected alerts appear, and prints a table of what was seen. Finds
 * the pipeline as {@code vigil report} does (the configured cluster, or the embedded broker of a
 * {@code vigil run} on the same {@code data.dir}) and never starts one.
 */
public final class DemoRun {

  /**
   * How long the demo waits for a {@code vigil run} that just started to get its detection going.
   */
  public static final Duration STARTUP_PATIENCE = Duration.ofSeconds(15);

  /**
   * A first run's alerts come within seconds; later, the likely wait is an open alert's update
   * interval.
   */
  public static final Duration HINT_AFTER = Duration.ofSeconds(10);

  /** How a demo ended. */
  public enum Outcome {
    /** Every expected alert was seen and no benign scenario raised one (or not waiting). */
    ALL_SEEN,
    /** Some expected alert was not seen in time, or a benign scenario raised one. */
    NOT_ALL_SEEN,
    /** Nothing was played: no scenario could be, or no running pipeline was found. */
    NOT_STARTED
  }

  private DemoRun() {}

  /**
   * Plays the scenarios (those that need a PHI bucket only when {@code phi.buckets} is set) into
   * the running pipeline and, unless {@code noWait}, watches up to {@code patience} for their
   * alerts: progress and the table of what was seen on {@code out}, why nothing was played on
   * {@code err}.
   */
  public static Outcome play(
      VigilConfig config,
      List<Scenario> scenarios,
      Duration patience,
      boolean noWait,
      PrintWriter out,
      PrintWriter err)
      throws Exception {
    List<String> phiBuckets = config.get(ConfigKeys.PHI_BUCKETS);
    List<Scenario> playable = new ArrayList<>();
    List<Scenario> skipped = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      if (scenario.requires().contains("phi.buckets") && phiBuckets.isEmpty()) {
        skipped.add(scenario);
      } else {
        playable.add(scenario);
      }
    }
    if (playable.isEmpty()) {
      err.println("vigil demo: nothing to play.");
      printSkipped(skipped, err);
      return Outcome.NOT_STARTED;
    }

    Optional<KafkaSession> attached = KafkaSession.attach(config);
    if (attached.isEmpty()) {
      err.println(
          "vigil demo: no running pipeline found: no vigil run serves the data directory "
              + config.get(ConfigKeys.DATA_DIR).toAbsolutePath().normalize()
              + " and kafka.bootstrap.servers is not set.");
      err.println(
          "Start one in another terminal, then run vigil demo again with the same --data-dir or"
              + " --config:");
      err.println("  java -jar deploy/target/vigil.jar run");
      err.println(
          "or point vigil demo at the Kafka cluster of a running pipeline with --bootstrap-servers"
              + " HOST:PORT.");
      return Outcome.NOT_STARTED;
    }
    try (KafkaSession kafka = attached.get()) {
      String detectionGroup = config.get(ConfigKeys.STREAMS_APPLICATION_ID) + "-detection";
      Optional<String> missing =
          RunningPipeline.problem(kafka.connection(), detectionGroup, STARTUP_PATIENCE);
      if (missing.isPresent()) {
        err.println("vigil demo: no running pipeline found: " + missing.get() + ".");
        err.println(
            "Start one (java -jar deploy/target/vigil.jar run, with the same configuration) and run"
                + " vigil demo again once it is ready (curl localhost:"
                + config.get(ConfigKeys.HTTP_PORT)
                + "/ready).");
        return Outcome.NOT_STARTED;
      }
      return play(config, kafka, playable, skipped, patience, noWait, out);
    }
  }

  private static Outcome play(
      VigilConfig config,
      KafkaSession kafka,
      List<Scenario> playable,
      List<Scenario> skipped,
      Duration patience,
      boolean noWait,
      PrintWriter out)
      throws Exception {
    ScenarioRenderer renderer =
        new ScenarioRenderer(
            ScenarioRenderer.referenceTime(Instant.now()),
            config.get(ConfigKeys.PHI_BUCKETS).stream().findFirst(),
            new SecureRandom());
    String runId = UUID.randomUUID().toString();
    List<ScenarioPublisher.Published> published = new ArrayList<>();
    out.printf(
        "Playing %d scenario(s) into the %s (%s, %s):%n",
        playable.size(),
        kafka.connection(),
        kafka.topics().cloudtrail().name(),
        kafka.topics().vpcflow().name());
    // The watch starts before anything is published, so that no alert of this run can be missed.
    try (AlertWatch watch =
            noWait
                ? null
                : AlertWatch.fromEnd(
                    kafka.connection().clientProperties(), kafka.topics().alerts());
        TransactionalUnitPublisher publisher =
            TransactionalUnitPublisher.start(
                kafka.connection().clientProperties(),
                // One-shot, like vigil ingest: a fresh id, so that two demos never fence each
                // other.
                config.get(ConfigKeys.INGEST_TRANSACTIONAL_ID) + "-demo-" + runId,
                kafka.topics(),
                new SimpleMeterRegistry())) {
      ScenarioPublisher scenarioPublisher =
          new ScenarioPublisher(IngestComponents.decoder(config), publisher);
      for (Scenario scenario : playable) {
        RenderedScenario run = renderer.render(scenario);
        ScenarioPublisher.Published p = scenarioPublisher.publish(run, runId);
        published.add(p);
        out.printf("  %-26s %s: %s%n", scenario.name(), records(p), scenario.title());
        p.rejections().forEach(r -> out.println("    rejected (sent to the DLQ): " + r));
      }
      skipped.forEach(
          s -> out.printf("  %-26s skipped: needs phi.buckets (see below)%n", s.name()));
      out.flush();
      if (noWait) {
        out.println(
            "Not waiting for alerts (--no-wait); they appear on vigil run's output and on "
                + kafka.topics().alerts().name()
                + ".");
        printSkipped(skipped, out);
        return Outcome.ALL_SEEN;
      }
      ExpectedAlerts expected = new ExpectedAlerts(published);
      watch(watch, expected, patience, kafka.topics().alerts().name(), out);
      return report(config, expected, playable, skipped, patience, out);
    }
  }

  private static void watch(
      AlertWatch watch, ExpectedAlerts expected, Duration patience, String topic, PrintWriter out) {
    long started = System.nanoTime();
    long deadline = started + patience.toNanos();
    out.printf(
        "Watching %s for up to %s (vigil run prints the alerts too)...%n",
        topic, ConfigType.DURATION.format(patience));
    out.flush();
    boolean hinted = false;
    while (!expected.complete() && System.nanoTime() < deadline) {
      if (!hinted && System.nanoTime() - started > HINT_AFTER.toNanos()) {
        hinted = true;
        long waiting = expected.expectations().stream().filter(e -> e.seen().isEmpty()).count();
        out.printf(
            "  still waiting for %d: an alert still open from an earlier demo run is updated at"
                + " most once per alerts.update.interval (default 1m)%n",
            waiting);
        out.flush();
      }
      for (Alert alert : watch.poll(Duration.ofMillis(250))) {
        for (ExpectedAlerts.Expectation e : expected.record(alert)) {
          out.printf(
              "  seen %-26s %-34s %s (%.1f s)%n",
              e.scenario(), e.ruleId(), alert.getEntity(), (System.nanoTime() - started) / 1e9);
          out.flush();
        }
      }
    }
  }

  private static Outcome report(
      VigilConfig config,
      ExpectedAlerts expected,
      List<Scenario> played,
      List<Scenario> skipped,
      Duration patience,
      PrintWriter out) {
    out.println();
    String row = "%-26s %-34s %-5s %s%n";
    out.printf(row, "SCENARIO", "EXPECTED RULE", "SEEN", "ALERT ENTITY");
    for (ExpectedAlerts.Expectation e : expected.expectations()) {
      out.printf(
          row,
          e.scenario(),
          e.ruleId(),
          e.seen().isPresent() ? "yes" : "NO",
          e.seen().map(Alert::getEntity).orElse("-"));
    }
    Map<String, List<Alert>> falsePositives = expected.falsePositives();
    for (Scenario benign : played.stream().filter(Scenario::benign).toList()) {
      List<Alert> hits = falsePositives.getOrDefault(benign.name(), List.of());
      out.printf(
          row,
          benign.name(),
          "(none: benign)",
          hits.isEmpty() ? "none" : "ALERT",
          hits.isEmpty() ? "-" : hits.get(0).getRuleId() + " on " + hits.get(0).getEntity());
    }
    skipped.forEach(
        s ->
            out.printf(
                row, s.name(), String.join(", ", s.expect()), "skip", "phi.buckets not set"));

    Map<String, List<Alert>> unexpected = expected.unexpected();
    List<String> extras = new ArrayList<>();
    unexpected.forEach(
        (scenario, alerts) -> {
          if (!falsePositives.containsKey(scenario)) {
            alerts.forEach(
                a -> extras.add(scenario + ": " + a.getRuleId() + " on " + a.getEntity()));
          }
        });
    if (!extras.isEmpty()) {
      out.println();
      out.println("Also raised on the same events (posture findings and related rules):");
      extras.forEach(x -> out.println("  " + x));
    }
    printSkipped(skipped, out);

    List<ExpectedAlerts.Expectation> notSeen =
        expected.expectations().stream().filter(e -> e.seen().isEmpty()).toList();
    out.println();
    if (notSeen.isEmpty() && falsePositives.isEmpty()) {
      out.printf("All %d expected alerts seen.%n", expected.expectations().size());
      out.flush();
      return Outcome.ALL_SEEN;
    }
    if (!notSeen.isEmpty()) {
      out.printf(
          "%d of %d expected alerts not seen within %s:%n",
          notSeen.size(), expected.expectations().size(), ConfigType.DURATION.format(patience));
      RuleSet rules = rulesInForce(config);
      for (ExpectedAlerts.Expectation e : notSeen) {
        out.println(
            "  " + e.scenario() + " / " + e.ruleId() + ": " + likelyWhy(e.ruleId(), rules, config));
      }
    }
    falsePositives.forEach(
        (scenario, alerts) ->
            alerts.forEach(
                a ->
                    out.println(
                        "  "
                            + scenario
                            + " is benign but raised "
                            + a.getRuleId()
                            + " on "
                            + a.getEntity()
                            + ": a false positive of the rules in force (your own rules in"
                            + " detection.rules.dirs?)")));
    out.flush();
    return Outcome.NOT_ALL_SEEN;
  }

  /** The most likely reason an expected alert did not come, from what this side can know. */
  public static String likelyWhy(String ruleId, RuleSet rules, VigilConfig config) {
    if (config.get(ConfigKeys.DETECTION_RULES_DISABLED).contains(ruleId)) {
      return "the rule is turned off in detection.rules.disabled.";
    }
    if (rules != null && rules.rule(ruleId).isEmpty() && rules.correlation(ruleId).isEmpty()) {
      return "no rule with this id is loaded with this configuration (replaced or broken by"
          + " detection.rules.dirs?).";
    }
    if (ruleId.equals("aws-phi-bucket-access")) {
      return "vigil run raises it only when its phi.buckets lists "
          + config.get(ConfigKeys.PHI_BUCKETS).stream().findFirst().orElse("the bucket")
          + " (the bucket this demo used): give vigil run the same phi.buckets as vigil demo.";
    }
    return "an alert already open for the same rule and entity (from a demo run less than"
        + " alerts.suppression.window ago) is updated at most once per"
        + " alerts.update.interval, so try a longer --wait; otherwise check that vigil run"
        + " is ready (curl localhost:"
        + config.get(ConfigKeys.HTTP_PORT)
        + "/ready) and see its log.";
  }

  private static RuleSet rulesInForce(VigilConfig config) {
    try {
      DetectionSettings settings = DetectionConfig.settings(config, List.of());
      return DetectionEngine.ruleSet(settings);
    } catch (RuntimeException e) {
      return null; // the reasons then leave the rule set out
    }
  }

  private static void printSkipped(List<Scenario> skipped, PrintWriter out) {
    for (Scenario s : skipped) {
      out.println();
      out.println(
          s.name()
              + " was skipped: it needs a PHI bucket. Set phi.buckets for vigil run and vigil demo"
              + " alike,");
      out.println(
          "for example in the config file both are given (phi: {buckets: [patient-records-prod]})"
              + " or with");
      out.println("--set phi.buckets=patient-records-prod on both commands.");
    }
  }

  private static String records(ScenarioPublisher.Published p) {
    List<String> parts = new ArrayList<>();
    if (p.result().cloudTrailEvents() > 0) {
      parts.add(
          p.result().cloudTrailEvents()
              + (p.result().cloudTrailEvents() == 1 ? " CloudTrail event" : " CloudTrail events"));
    }
    if (p.result().flowRecords() > 0) {
      parts.add(
          p.result().flowRecords()
              + (p.result().flowRecords() == 1 ? " flow record" : " flow records"));
    }
    return String.join(", ", parts);
  }

  /** The scenarios, what each one raises and what it needs, as a table. */
  public static void printCatalogue(PrintWriter out) {
    out.printf("%-26s %-44s %s%n", "SCENARIO", "TITLE", "RAISES");
    for (Scenario s : Scenarios.all()) {
      String raises = s.benign() ? "nothing (benign)" : String.join(", ", s.expect());
      String needs =
          s.requires().isEmpty() ? "" : "  (needs " + String.join(", ", s.requires()) + ")";
      out.printf("%-26s %-44s %s%s%n", s.name(), s.title(), raises, needs);
    }
    out.flush();
  }
}
