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
    if (LoadOptions.asksForHelp(args)) {
      System.out.print(LoadOptions.HELP);
      return;
    }
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
    Latencies inboxLatencies = new Latencies();
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    System.out.printf(
        "data dir %s (vigil run's output in vigil.log, GC logs in gc-<pid>.log)%n", dir);
    try (WebhookReceiver webhook =
            WebhookReceiver.start(
                (id, at) -> {
                  latencies.delivered(id, at);
                  inboxLatencies.delivered(id, at);
                });
        VigilUnderTest vigil = VigilUnderTest.start(options, dir, webhook.url())) {
      Map<String, Object> client = vigil.clientSettings();
      System.out.printf(
          "vigil run ready: pid %d, Kafka at %s%n", vigil.pid(), vigil.bootstrapServers());
      Published run;
      Latencies.Distribution kafka;
      long alertPublications;
      long webhookRequests;
      Latencies.Distribution inboxDone;
      int inboxFiles;
      try (AlertWatcher alerts =
              AlertWatcher.start(
                  client,
                  topics.alerts(),
                  (id, at) -> {
                    latencies.alerted(id, at);
                    inboxLatencies.alerted(id, at);
                  });
          InboxDrops drops = new InboxDrops(vigil.inbox(), load, inboxLatencies);
          PipelineLag lag =
              new PipelineLag(
                  client,
                  topics.cloudtrail().name(),
                  List.of(
                      vigil.applicationId() + "-detection",
                      vigil.applicationId() + "-aggregates"));
          KafkaBaseline baseline = KafkaBaseline.start(client);
          TransactionalUnitPublisher publisher =
              TransactionalUnitPublisher.start(
                  client, "e2e-load-" + UUID.randomUUID(), topics, new SimpleMeterRegistry())) {
        run = publish(options, load, publisher, latencies, baseline, vigil, drops, lag);
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainSeconds());
        while (!(latencies.complete() && drops.complete()) && System.nanoTime() < drainEnd) {
          Thread.sleep(100);
        }
        kafka = baseline.distribution();
        alertPublications = alerts.publications();
        webhookRequests = webhook.requests();
        inboxDone = drops.toDone();
        inboxFiles = drops.files();
      }
      List<Long> pauses = vigil.gcPausesMicros();
      Observed observed =
          new Observed(
              kafka,
              alertPublications,
              webhookRequests,
              vigil.maxRssMb(),
              Latencies.Distribution.of(
                  pauses.subList(Math.min(run.pausesBefore(), pauses.size()), pauses.size())));
      report(options, run, observed, latencies);
      inboxReport(inboxDone, inboxLatencies.toAlert(), inboxFiles);
      System.out.println(
          json(options, run, observed, latencies, inboxDone, inboxLatencies.toAlert()));
    }
  }

  /** What the publishing part did: the measured events and time, and the warm-up before them. */
  private record Published(
      long events,
      double seconds,
      long behind,
      long lagAtStart,
      long lagAtEnd,
      long warmupSeconds,
      boolean caughtUp,
      int pausesBefore) {

    long achievedRate() {
      return Math.round(events / seconds);
    }

    /**
     * The events per second the slower of vigil run's Streams applications went through while
     * measured: what was published less what its lag grew by (-1 when a lag was not known). Beside
     * the achieved rate it shows how far a pipeline that falls behind is from keeping up.
     */
    long processedRate() {
      return lagAtStart < 0 || lagAtEnd < 0
          ? -1
          : Math.round((events - (lagAtEnd - lagAtStart)) / seconds);
    }
  }

  /** What was observed beside the markers: the baseline, the traffic, and vigil run's process. */
  private record Observed(
      Latencies.Distribution kafka,
      long alertPublications,
      long webhookRequests,
      long rssMb,
      Latencies.Distribution gcPauses) {}

  /**
   * Publishes for the warm-up and the measured seconds: every {@code --unit-ms}, one object of the
   * events due by then (at most a second's worth, so a publisher that falls behind shows as a lower
   * achieved rate, not as a burst), markers only in the measured part.
   */
  private static Published publish(
      LoadOptions options,
      CloudTrailLoad load,
      TransactionalUnitPublisher publisher,
      Latencies latencies,
      KafkaBaseline baseline,
      VigilUnderTest vigil,
      InboxDrops drops,
      PipelineLag lag)
      throws Exception {
    AwsLogDecoder decoder = new AwsLogDecoder();
    long unitNanos = TimeUnit.MILLISECONDS.toNanos(options.unitMillis());
    long warmupNanos = TimeUnit.SECONDS.toNanos(options.warmupSeconds());
    long start = System.nanoTime();
    long end = Long.MAX_VALUE;
    long published = 0;
    long markers = 0;
    long measuredEvents = 0;
    long measureStart = -1;
    int pausesBefore = 0;
    long lagAtStart = -1;
    long units = 0;
    long nextUnit = start;
    long inboxEvery = TimeUnit.SECONDS.toNanos(options.inboxEverySeconds());
    long nextDrop = Long.MAX_VALUE;
    WarmUp warmUp = new WarmUp(options.rate(), warmupNanos, start);
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      long elapsed = now - start;
      boolean measuring = measureStart >= 0 || warmUp.over(now, lag);
      if (measuring && measureStart < 0) {
        measureStart = now;
        end = now + TimeUnit.SECONDS.toNanos(options.seconds());
        nextDrop = now + inboxEvery / 2;
        pausesBefore = vigil.gcPausesMicros().size();
        lagAtStart = lag.records();
        baseline.startMeasuring();
        vigil.startSamplingRss();
        System.out.printf(
            "warm-up over after %.0f s (%s); measuring for %d s%n",
            (now - start) / 1e9, warmUp.outcome(), options.seconds());
      }
      if (measuring && now >= nextDrop) {
        drops.drop();
        nextDrop += inboxEvery;
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
    long lagAtEnd = lag.records();
    double seconds = (stop - measureStart) / 1e9;
    // Due by the last unit's start: the events of the unit the loop ended in are not owed.
    long behind =
        Math.max(0, (long) (options.rate() * ((stop - unitNanos - start) / 1e9)) - published);
    System.out.printf(
        "published %d events in %d objects (%d markers); measured part: %d events in %.1f s%n",
        published, units, markers, measuredEvents, seconds);
    if (behind > options.rate() / 100) { // under 10 ms of events is the rounding of due counts
      System.out.printf(
          "the publisher fell behind: %d events due by the end were not published%n", behind);
    }
    return new Published(
        measuredEvents,
        seconds,
        behind,
        lagAtStart,
        lagAtEnd,
        (measureStart - start) / 1_000_000_000L,
        warmUp.caughtUp(),
        pausesBefore);
  }

  private static void report(
      LoadOptions options, Published run, Observed observed, Latencies latencies) {
    Latencies.Distribution toAlert = latencies.toAlert();
    Latencies.Distribution toDelivery = latencies.toDelivery();
    int markers = latencies.markers();
    System.out.printf(
        "rate %d events/s asked, %d achieved; %d markers (%s alerts)%n",
        options.rate(), run.achievedRate(), markers, CloudTrailLoad.MARKER_RULE);
    if (run.processedRate() >= 0) {
      System.out.printf(
          "vigil run went through %d events/s while measured (its lag on the CloudTrail topic: %d"
              + " events at the start, %d at the end)%n",
          run.processedRate(), run.lagAtStart(), run.lagAtEnd());
    }
    line("publication -> alert on the alerts topic", toAlert, markers);
    line("publication -> webhook delivery", toDelivery, markers);
    System.out.printf(
        "median publication -> alert by 10 s of the run, ms: %s%n", latencies.alertMediansOver(10));
    line(
        "Kafka alone: producer -> consumer (baseline)", observed.kafka(), observed.kafka().count());
    line("vigil run's GC pauses while measured", observed.gcPauses(), observed.gcPauses().count());
    System.out.printf(
        "vigil run's largest resident set: %d MB; %d alert publications, %d webhook requests%n",
        observed.rssMb(), observed.alertPublications(), observed.webhookRequests());
  }

  private static void inboxReport(
      Latencies.Distribution done, Latencies.Distribution alert, int files) {
    line("inbox file written -> moved to done/", done, files);
    line("inbox file written -> its alert", alert, files);
  }

  private static String json(
      LoadOptions options,
      Published run,
      Observed observed,
      Latencies latencies,
      Latencies.Distribution inboxDone,
      Latencies.Distribution inboxAlert)
      throws Exception {
    Latencies.Distribution toAlert = latencies.toAlert();
    Latencies.Distribution toDelivery = latencies.toDelivery();
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("rate", options.rate());
    json.put("achieved_rate", run.achievedRate());
    json.put("behind_events", run.behind());
    if (run.processedRate() >= 0) {
      json.put("processed_rate", run.processedRate());
      json.put("lag_end_events", run.lagAtEnd());
    } else {
      json.putNull("processed_rate");
      json.putNull("lag_end_events");
    }
    ms(json, "alert_p50_ms", toAlert.percentileMs(0.5));
    ms(json, "alert_p99_ms", toAlert.percentileMs(0.99));
    ms(json, "alert_max_ms", toAlert.maxMs());
    ms(json, "delivery_p50_ms", toDelivery.percentileMs(0.5));
    ms(json, "delivery_p99_ms", toDelivery.percentileMs(0.99));
    ms(json, "kafka_p50_ms", observed.kafka().percentileMs(0.5));
    ms(json, "kafka_p99_ms", observed.kafka().percentileMs(0.99));
    json.put("rss_mb", observed.rssMb());
    ms(json, "gc_pause_p99_ms", observed.gcPauses().percentileMs(0.99));
    ms(json, "gc_pause_max_ms", observed.gcPauses().maxMs());
    json.put("seconds", options.seconds());
    json.put("warmup_s", run.warmupSeconds());
    json.put("warmup_caught_up", run.caughtUp());
    json.put("markers", latencies.markers());
    json.put("markers_alerted", toAlert.count());
    json.put("markers_delivered", toDelivery.count());
    options.sets().forEach(json.putArray("sets")::add);
    json.put("inbox_files", inboxDone.count());
    ms(json, "inbox_done_p50_ms", inboxDone.percentileMs(0.5));
    ms(json, "inbox_done_max_ms", inboxDone.maxMs());
    ms(json, "inbox_alert_p50_ms", inboxAlert.percentileMs(0.5));
    ms(json, "inbox_alert_max_ms", inboxAlert.maxMs());
    return new ObjectMapper().writeValueAsString(json);
  }

  /** A latency in milliseconds, or null when nothing was measured (JSON has no NaN). */
  private static void ms(ObjectNode json, String field, double millis) {
    if (Double.isNaN(millis)) {
      json.putNull(field);
    } else {
      json.put(field, millis);
    }
  }

  private static void line(String what, Latencies.Distribution d, int of) {
    System.out.printf(
        "%-46s p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms  (%d of %d)%n",
        what, d.percentileMs(0.5), d.percentileMs(0.99), d.maxMs(), d.count(), of);
  }
}
