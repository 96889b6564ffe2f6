package io.vigil.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vigil.app.scan.OfflineScan;
import io.vigil.app.scan.ScanWorkers;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.OfflineDetector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@code vigil scan} does per gzip CloudTrail object, with every built-in rule loaded: decode,
 * duplicate filter, all rules, correlations and alert suppression. {@code scanAllRules} does all of
 * it on the benchmark's thread ({@code vigil scan --threads 1}); {@code scanCommand} scans the
 * object as a file the way {@code vigil scan} does by default, on as many workers as there are
 * processors (one worker decodes and evaluates a file while the scanning thread applies the
 * stateful part). Beside them, in the same run, the ceiling: gunzip plus Jackson streaming of the
 * same bytes on one thread. One operation = one whole object.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScanBenchmark {

  @Param("")
  public String corpus;

  @Param("4")
  public int copies;

  /** The bundled rule packs loaded beside the built-in rules: "sigmahq" (the default) or "none". */
  @Param({"sigmahq", "none"})
  public String packs;

  private static final SourceRef SOURCE = SourceRef.s3("bench", "AWSLogs/object.json.gz");
  private final AwsLogDecoder decoder = new AwsLogDecoder();
  private final JsonFactory json = new JsonFactory();
  private DetectionEngine engine;
  private DetectionSettings settings;
  private byte[] cloudTrailGz;
  private Path cloudTrailFile;
  private final int threads = Runtime.getRuntime().availableProcessors();

  @Setup
  public void setup() throws IOException {
    var events = InvictusCorpus.events(InvictusCorpus.locate(corpus), copies);
    cloudTrailGz = InvictusCorpus.recordsGzip(events);
    settings =
        DetectionSettings.DEFAULTS.withPacks(
            packs.equals("none") ? List.of() : List.of(packs.split(",")));
    engine = DetectionEngine.load(settings);
    cloudTrailFile = Files.createTempFile("vigil-scan-bench-", ".json.gz");
    Files.write(cloudTrailFile, cloudTrailGz);
    System.out.printf(
        "%nCloudTrail object: %d events, %d bytes gzip; %d rules, %d correlations%n",
        events.size(),
        cloudTrailGz.length,
        engine.rules().rules().size(),
        engine.rules().correlations().size());
  }

  @Benchmark
  public long scanAllRules(Blackhole bh) throws IOException {
    OfflineDetector detector = new OfflineDetector(engine, settings, bh::consume);
    decoder.decode(
        new ByteArrayInputStream(cloudTrailGz),
        SOURCE,
        new DecodeListener() {
          @Override
          public void cloudTrail(CloudTrailEvent event, String position) {
            detector.accept(event);
          }

          @Override
          public void flow(FlowRecord record, String position) {
            detector.accept(record);
          }

          @Override
          public void rejected(Rejected rejected) {
            bh.consume(rejected);
          }
        });
    detector.finish();
    return detector.alertsEmitted();
  }

  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(cloudTrailFile);
  }

  @Benchmark
  public long scanCommand() throws InterruptedException {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    return OfflineScan.scan(
            engine,
            settings,
            decoder,
            List.of(cloudTrailFile),
            Object::toString,
            false,
            threads,
            ScanWorkers.Bounds.forThreads(threads),
            nowhere,
            nowhere)
        .records();
  }

  @Benchmark
  public long gunzipJacksonCeiling() throws IOException {
    long tokens = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(cloudTrailGz), 1 << 16);
        JsonParser parser = json.createParser(in)) {
      while (parser.nextToken() != null) {
        tokens++;
      }
    }
    return tokens;
  }
}
