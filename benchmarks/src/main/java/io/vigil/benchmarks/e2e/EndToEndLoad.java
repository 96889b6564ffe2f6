package io.vigil.benchmarks.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.benchmarks.InvictusCorpus;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end load harness ({@code benchmarks/e2e}): starts {@code vigil run} from the jar,
 * publishes CloudTrail objects at a fixed rate through the ingest decoder and publisher (one Kafka
 * transaction per object, as ingest does), with marker events that raise alerts among the
 * background traffic, and measures each marker's time from the start of its object's publication to
 * its first alert publication on the alerts topic and to its delivery at a local webhook; in the
 * same run, a plain Kafka producer and consumer on the same broker give the baseline. Prints a
 * summary, then, as its last line, one JSON object. Run from the project root.
 */
public final class EndToEndLoad {

  private EndToEndLoad() {}

  public static void main(String[] args) throws Exception {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path dir = Files.createTempDirectory("vigil-e2e-");
    CloudTrailLoad load = new CloudTrailLoad(InvictusCorpus.events(InvictusCorpus.locate(null), 1));
    Latencies latencies = new Latencies();
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    System.out.printf("data dir %s (vigil run's output in vigil.log, GC log in gc.log)%n", dir);
    try (WebhookReceiver webhook = WebhookReceiver.start(latencies);
        VigilUnderTest vigil = VigilUnderTest.start(options, dir, webhook.url())) {
      Map<String, Object> client = vigil.clientSettings();
      System.out.printf(
          "vigil run ready: pid %d, Kafka at %s%n", vigil.pid(), vigil.bootstrapServers());
      Run run;
      try (AlertWatcher alerts = AlertWatcher.start(client, topics.alerts(), latencies);
          KafkaBaseline baseline = KafkaBaseline.start(client);
          TransactionalUnitPublisher publisher =
              TransactionalUnitPublisher.start(
                  client, "e2e-load-" + UUID.randomUUID(), topics, new SimpleMeterRegistry())) {
        run = publish(options, load, publisher, latencies, baseline, vigil);
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainSeconds());
        while (!latencies.complete() && System.nanoTime() < drainEnd) {
          Thread.sleep(100);
        }
        run = run.withBaseline(baseline.distribution(), alerts.publications(), webhook.requests());
      }
      List<Long> pauses = vigil.gcPausesMicros();
      run =
          run.withProcess(
              vigil.maxRssMb(),
              Latencies.Distribution.of(
                  pauses.subList(Math.min(run.pausesBefore, pauses.size()), pauses.size())));
      report(options, run, latencies);
    }
  }

  /** What one run measured, filled in as it goes. */
  private record Run(
      long events,
      double seconds,
      long behind,
      int pausesBefore,
      Latencies.Distribution kafka,
      long alertPublications,
      long webhookRequests,
      long rssMb,
      Latencies.Distribution gcPauses) {

    Run withBaseline(Latencies.Distribution kafka, long publications, long requests) {
      return new Run(events, seconds, behind, pausesBefore, kafka, publications, requests, 0, null);
    }

    Run withProcess(long rssMb, Latencies.Distribution gcPauses) {
      return new Run(
          events,
          seconds,
          behind,
          pausesBefore,
          kafka,
          alertPublications,
          webhookRequests,
          rssMb,
          gcPauses);
    }
  }

  /**
   * Publishes for the warm-up and the measured seconds: every {@code --unit-ms}, one object of the
   * events due by then (at most a second's worth, so a publisher that falls behind shows as a lower
   * achieved rate, not as a burst), markers only in the measured part.
   */
  private static Run publish(
      LoadOptions options,
      CloudTrailLoad load,
      TransactionalUnitPublisher publisher,
      Latencies latencies,
      KafkaBaseline baseline,
      VigilUnderTest vigil)
      throws Exception {
    AwsLogDecoder decoder = new AwsLogDecoder();
    long unitNanos = TimeUnit.MILLISECONDS.toNanos(options.unitMillis());
    long warmupNanos = TimeUnit.SECONDS.toNanos(options.warmupSeconds());
    long start = System.nanoTime();
    long end = start + warmupNanos + TimeUnit.SECONDS.toNanos(options.seconds());
    long published = 0;
    long markers = 0;
    long measuredEvents = 0;
    long measureStart = -1;
    int pausesBefore = 0;
    long units = 0;
    long nextUnit = start;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      long elapsed = now - start;
      boolean measuring = elapsed >= warmupNanos;
      if (measuring && measureStart < 0) {
        measureStart = now;
        pausesBefore = vigil.gcPausesMicros().size();
        baseline.startMeasuring();
        vigil.startSamplingRss();
        System.out.printf("warm-up done; measuring for %d s%n", options.seconds());
      }
      long due = (long) (options.rate() * (elapsed / 1e9)) - published;
      if (due > 0) {
        int count = (int) Math.min(due, options.rate());
        int markersDue =
            measuring
                ? (int)
                    Math.min(
                        count,
                        (long) (options.markersPerSecond() * ((now - measureStart) / 1e9))
                            - markers)
                : 0;
        CloudTrailLoad.Unit unit = load.next(count, Math.max(0, markersDue), Instant.now());
        long publishing = System.nanoTime();
        unit.markerIds().forEach(id -> latencies.published(id, publishing));
        String key = "e2e/" + units;
        publisher.publish(
            new Checkpoint("e2e-load", key, unit.events(), Map.of()),
            writer ->
                decoder.decode(
                    new ByteArrayInputStream(unit.json()),
                    SourceRef.file(Path.of(key + ".json")),
                    writer));
        units++;
        published += count;
        markers += unit.markerIds().size();
        if (measuring) {
          measuredEvents += count;
        }
      }
      nextUnit += unitNanos;
      long sleep = nextUnit - System.nanoTime();
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      } else {
        nextUnit = System.nanoTime();
      }
    }
    baseline.stopMeasuring();
    long stop = System.nanoTime();
    double seconds = (stop - measureStart) / 1e9;
    long behind = Math.max(0, (long) (options.rate() * ((stop - start) / 1e9)) - published);
    System.out.printf(
        "published %d events in %d objects (%d markers); measured part: %d events in %.1f s%n",
        published, units, markers, measuredEvents, seconds);
    if (behind > 0) {
      System.out.printf(
          "the publisher fell behind: %d events due by the end were not published%n", behind);
    }
    return new Run(measuredEvents, seconds, behind, pausesBefore, null, 0, 0, 0, null);
  }

  private static void report(LoadOptions options, Run run, Latencies latencies) throws Exception {
    Latencies.Distribution toAlert = latencies.toAlert();
    Latencies.Distribution toDelivery = latencies.toDelivery();
    int markers = latencies.markers();
    double achieved = Math.round(run.events / run.seconds);
    System.out.printf(
        "rate %d events/s asked, %.0f achieved; %d markers (%s alerts)%n",
        options.rate(), achieved, markers, CloudTrailLoad.MARKER_RULE);
    line("publication -> alert on the alerts topic", toAlert, markers);
    line("publication -> webhook delivery", toDelivery, markers);
    line("Kafka alone: producer -> consumer (baseline)", run.kafka, run.kafka.count());
    line("vigil run's GC pauses while measured", run.gcPauses, run.gcPauses.count());
    System.out.printf(
        "vigil run's largest resident set: %d MB; %d alert publications, %d webhook requests%n",
        run.rssMb, run.alertPublications, run.webhookRequests);
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("rate", options.rate());
    json.put("achieved_rate", achieved);
    json.put("behind_events", run.behind);
    json.put("alert_p50_ms", toAlert.percentileMs(0.5));
    json.put("alert_p99_ms", toAlert.percentileMs(0.99));
    json.put("alert_max_ms", toAlert.maxMs());
    json.put("delivery_p50_ms", toDelivery.percentileMs(0.5));
    json.put("delivery_p99_ms", toDelivery.percentileMs(0.99));
    json.put("kafka_p50_ms", run.kafka.percentileMs(0.5));
    json.put("kafka_p99_ms", run.kafka.percentileMs(0.99));
    json.put("rss_mb", run.rssMb);
    json.put("gc_pause_p99_ms", run.gcPauses.percentileMs(0.99));
    json.put("gc_pause_max_ms", run.gcPauses.maxMs());
    json.put("seconds", options.seconds());
    json.put("markers", markers);
    json.put("markers_alerted", toAlert.count());
    json.put("markers_delivered", toDelivery.count());
    List<String> sets = new ArrayList<>(options.sets());
    json.putPOJO("sets", sets);
    System.out.println(new ObjectMapper().writeValueAsString(json));
  }

  private static void line(String what, Latencies.Distribution d, int of) {
    System.out.printf(
        "%-46s p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms  (%d of %d)%n",
        what, d.percentileMs(0.5), d.percentileMs(0.99), d.maxMs(), d.count(), of);
  }
}
