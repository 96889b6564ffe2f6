package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.scan.OfflineScan;
import io.vigil.app.scan.ScanWorkers;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.schemas.AlertJson;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code vigil scan --threads N}: workers decode and evaluate ahead, one thread applies the
 * stateful part in file order, and the output is that of the single-threaded scan, byte for byte.
 * Inputs: the public corpora in {@code testdata/} and a generated directory of some 300 small files
 * (CloudTrail gzip and JSON lines, flow logs, redelivered duplicates, bad records, and correlations
 * whose events are spread over many files, so that any reordering would show). No test here
 * measures time; the timeouts only turn a deadlock into a failure.
 */
class ScanThreadsTest {

  private static final Path INVICTUS = TestData.path("invictus_aws_dataset/CloudTrail");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DetectionSettings SETTINGS = DetectionSettings.DEFAULTS;
  private static DetectionEngine engine;

  @TempDir static Path generated;
  private static Path manyFiles;

  @BeforeAll
  static void generateManyFiles() throws IOException {
    engine = DetectionEngine.load(SETTINGS);
    manyFiles = Files.createDirectories(generated.resolve("many"));
    writeManyFiles(manyFiles);
  }

  /** What one command line printed. */
  private record Run(int exit, List<String> out, List<String> err) {

    /** Stderr's rejections and unreadable files, and the summary without its rates and duration. */
    List<String> report() {
      return err.stream()
          .map(
              l ->
                  l.startsWith("scanned ")
                      ? l.replaceAll(" \\([0-9.]+/s, [0-9.]+ MB/s\\)", "")
                          .replaceAll(" in [0-9.]+ s$", "")
                      : l)
          .toList();
    }

    String summary() {
      return err.get(err.size() - 1);
    }
  }

  private static Run vigil(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        VigilCommand.execute(
            args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString().lines().toList(), err.toString().lines().toList());
  }

  private static void assertSameOutputWithOneAndFourThreads(String... args) {
    Run one = vigil(concat(new String[] {"scan", "--threads", "1"}, args));
    Run four = vigil(concat(new String[] {"scan", "--threads", "4"}, args));
    assertThat(one.exit()).isZero();
    assertThat(four.exit()).isZero();
    assertThat(one.out()).isNotEmpty();
    assertThat(four.out()).containsExactlyElementsOf(one.out());
    assertThat(four.report()).containsExactlyElementsOf(one.report());
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  @ParameterizedTest(name = "--updates {0}")
  @ValueSource(booleans = {false, true})
  void invictusDirectoryPrintsTheSameWithOneOrFourThreads(boolean updates) {
    assertSameOutputWithOneAndFourThreads(
        updates
            ? new String[] {"--updates", INVICTUS.toString()}
            : new String[] {INVICTUS.toString()});
  }

  @Test
  void stratusDetonationLogsPrintTheSameWithOneOrFourThreads() {
    assertSameOutputWithOneAndFourThreads(ScanCommandTest.STRATUS.toString());
  }

  @ParameterizedTest(name = "--updates {0}")
  @ValueSource(booleans = {false, true})
  void manyGeneratedFilesPrintTheSameWithOneOrFourThreads(boolean updates) {
    assertSameOutputWithOneAndFourThreads(
        updates
            ? new String[] {"--updates", manyFiles.toString()}
            : new String[] {manyFiles.toString()});
    // The comparison is worth something only if the input exercises every stateful part.
    Run run = vigil("scan", "--threads", "4", manyFiles.toString());
    assertThat(run.out())
        .anySatisfy(line -> assertThat(line).contains("\"rule_id\":\"vpc-port-scan\""));
    assertThat(run.summary()).contains(", 2 rejected,").doesNotContain(", 0 duplicates");
    assertThat(run.summary()).contains("scanned 295 files (0 unreadable)");
  }

  @Test
  void defaultThreadCountScansLikeOneThread() {
    Run one = vigil("scan", "--threads", "1", manyFiles.toString());
    Run byDefault = vigil("scan", manyFiles.toString());
    assertThat(byDefault.out()).containsExactlyElementsOf(one.out());
    assertThat(byDefault.report()).containsExactlyElementsOf(one.report());
  }

  @Test
  void threadsBelowOneIsAUsageError() {
    Run run = vigil("scan", "--threads", "0", INVICTUS.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(String.join("\n", run.err())).contains("--threads").contains("at least 1");
  }

  @Test
  void badInputInTheMiddleOfManyFilesIsReportedInFileOrder(@TempDir Path dir) throws Exception {
    Path first = ScanCommandTest.STRATUS.resolve("aws.defense-evasion.cloudtrail-stop.json");
    Path gone = dir.resolve("deleted-after-listing.json.gz");
    Path mixed = dir.resolve("mixed.jsonl");
    Files.writeString(
        mixed,
        String.join("\n", oneEventLine(first), "{not json", "{\"eventTime\": \"yesterday\"}", ""));
    Path truncated = dir.resolve("truncated.json.gz");
    byte[] whole =
        gzip(
            Files.readAllBytes(
                INVICTUS.resolve(
                    "218007301253_CloudTrail_us-east-1_20230710T1205Z_1dM7GQM67kudSyGD.json")));
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
    Path last = ScanCommandTest.STRATUS.resolve("aws.defense-evasion.cloudtrail-delete.json");
    List<Path> files = List.of(first, gone, mixed, truncated, last);

    List<String> sequential = scan(files, 1, ScanWorkers.Bounds.forThreads(1)).err();
    List<String> parallel = scan(files, 4, new ScanWorkers.Bounds(2, 1, 1, 1)).err();

    assertThat(parallel).containsExactlyElementsOf(sequential);
    assertThat(parallel).hasSize(4);
    assertThat(parallel.get(0)).startsWith("unreadable " + gone);
    assertThat(parallel.get(1)).startsWith("rejected file:" + mixed.toAbsolutePath() + "#line=2:");
    assertThat(parallel.get(2)).startsWith("rejected file:" + mixed.toAbsolutePath() + "#line=3:");
    assertThat(parallel.get(3)).startsWith("rejected file:" + truncated.toAbsolutePath());
  }

  @ParameterizedTest(name = "bounds {0}")
  @ValueSource(strings = {"1,1,1,1", "2,1,1,1", "1,1,3,100", "3,2,7,50000"})
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void tinyQueueBoundsStillCompleteWithTheSameOutput(String bounds) throws Exception {
    int[] b = Stream.of(bounds.split(",")).mapToInt(Integer::parseInt).toArray();
    List<Path> files = OfflineScan.files(List.of(manyFiles));
    Scanned sequential = scan(files, 1, ScanWorkers.Bounds.forThreads(1));
    Scanned parallel = scan(files, 4, new ScanWorkers.Bounds(b[0], b[1], b[2], b[3]));
    assertThat(parallel.out()).isNotEmpty().containsExactlyElementsOf(sequential.out());
    assertThat(parallel.err()).containsExactlyElementsOf(sequential.err());
    assertThat(parallel.totals().records()).isEqualTo(sequential.totals().records());
    assertThat(parallel.totals().duplicates()).isEqualTo(sequential.totals().duplicates());
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void workersStartNoMoreFilesThanTheBoundAheadOfTheScanningThread() throws Exception {
    List<Path> files = OfflineScan.files(List.of(manyFiles));
    AtomicInteger started = new AtomicInteger();
    AtomicInteger received = new AtomicInteger();
    AtomicInteger mostAhead = new AtomicInteger();
    AwsLogDecoder real = new AwsLogDecoder();
    LogDecoder counting =
        (in, source, listener) -> {
          mostAhead.accumulateAndGet(started.incrementAndGet() - received.get(), Math::max);
          return real.decode(in, source, listener);
        };
    // Fewer files in flight than workers, and queues that hold a whole file: only the bound holds
    // them back.
    try (ScanWorkers workers =
        new ScanWorkers(counting, engine, 4, new ScanWorkers.Bounds(2, 8, 256, 1 << 20))) {
      workers.scan(
          files,
          new Counting() {
            @Override
            public void read(Path file, DecodeSummary summary) {
              received.incrementAndGet();
            }
          });
    }
    assertThat(received.get()).isEqualTo(files.size());
    assertThat(mostAhead.get()).isBetween(1, 2);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void oneBigFileIsDecodedOnlyAFewBatchesAheadOfTheScanningThread(@TempDir Path dir)
      throws Exception {
    Path big = dir.resolve("all.json.gz");
    Files.write(big, gzip(recordsObject(invictusEvents())));
    AtomicLong decoded = new AtomicLong();
    AtomicLong received = new AtomicLong();
    AtomicLong mostAhead = new AtomicLong();
    AwsLogDecoder real = new AwsLogDecoder();
    LogDecoder counting =
        (in, source, listener) ->
            real.decode(
                in,
                source,
                new DecodeListener() {
                  @Override
                  public void cloudTrail(CloudTrailEvent event, String position) {
                    mostAhead.accumulateAndGet(
                        decoded.incrementAndGet() - received.get(), Math::max);
                    listener.cloudTrail(event, position);
                  }

                  @Override
                  public void flow(FlowRecord record, String position) {
                    listener.flow(record, position);
                  }

                  @Override
                  public void rejected(Rejected rejected) {
                    listener.rejected(rejected);
                  }
                });
    int batch = 10;
    int queued = 2;
    try (ScanWorkers workers =
        new ScanWorkers(counting, engine, 4, new ScanWorkers.Bounds(1, queued, batch, 1 << 20))) {
      workers.scan(
          List.of(big),
          new Counting() {
            @Override
            public void cloudTrail(CloudTrailEvent event, DetectionEngine.Evaluation evaluation) {
              received.incrementAndGet();
            }
          });
    }
    assertThat(received.get()).isEqualTo(2900);
    // The batch being read, the queued ones, and the full one waiting to be queued.
    assertThat(mostAhead.get()).isLessThanOrEqualTo((long) (queued + 2) * batch);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aFailingWorkerStopsTheScanWhereTheSequentialScanWouldAndLeavesNoThreads(@TempDir Path dir)
      throws Exception {
    Path boom = Files.writeString(dir.resolve("boom.json"), "{}");
    List<Path> files = new ArrayList<>(OfflineScan.files(List.of(INVICTUS)).subList(0, 10));
    files.add(5, boom);
    AwsLogDecoder real = new AwsLogDecoder();
    LogDecoder failing =
        (in, source, listener) -> {
          if (source.location().endsWith("boom.json")) {
            throw new IllegalStateException("a decoder bug, on purpose");
          }
          return real.decode(in, source, listener);
        };
    List<String> printedBeforeFailure = new ArrayList<>();
    for (int threads : new int[] {1, 4}) {
      StringWriter out = new StringWriter();
      assertThatThrownBy(
              () ->
                  OfflineScan.scan(
                      engine,
                      SETTINGS,
                      failing,
                      files,
                      AlertJson::toJson,
                      true,
                      threads,
                      new ScanWorkers.Bounds(3, 1, 5, 100_000),
                      new PrintWriter(out, true),
                      new PrintWriter(new StringWriter(), true)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a decoder bug, on purpose");
      printedBeforeFailure.add(out.toString());
    }
    // With --updates, the alerts of the five files before the failing one were printed, and the
    // same.
    assertThat(printedBeforeFailure.get(0)).isNotEmpty();
    assertThat(printedBeforeFailure.get(1)).isEqualTo(printedBeforeFailure.get(0));
    assertThat(liveWorkerThreads()).isEmpty();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void interruptingTheScanningThreadStopsTheWorkers(@TempDir Path dir) throws Exception {
    Path stuck = Files.writeString(dir.resolve("stuck.json"), "{}");
    List<Path> files = new ArrayList<>(OfflineScan.files(List.of(INVICTUS)).subList(0, 3));
    files.add(stuck);
    files.addAll(OfflineScan.files(List.of(INVICTUS)).subList(3, 8));
    CountDownLatch stuckStarted = new CountDownLatch(1);
    AwsLogDecoder real = new AwsLogDecoder();
    LogDecoder hanging =
        (in, source, listener) -> {
          if (source.location().endsWith("stuck.json")) {
            stuckStarted.countDown();
            try {
              new CountDownLatch(1).await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted while stuck");
            }
          }
          return real.decode(in, source, listener);
        };
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread scanning =
        new Thread(
            () -> {
              try {
                OfflineScan.scan(
                    engine,
                    SETTINGS,
                    hanging,
                    files,
                    AlertJson::toJson,
                    false,
                    4,
                    ScanWorkers.Bounds.forThreads(4),
                    new PrintWriter(new StringWriter(), true),
                    new PrintWriter(new StringWriter(), true));
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            "scan-under-test");
    scanning.start();
    assertThat(stuckStarted.await(5, TimeUnit.MINUTES)).isTrue();
    scanning.interrupt();
    scanning.join(TimeUnit.MINUTES.toMillis(5));
    assertThat(scanning.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(liveWorkerThreads()).isEmpty();
  }

  /** Waits for the scan worker threads still alive to end; returns those that did not. */
  private static List<Thread> liveWorkerThreads() throws InterruptedException {
    List<Thread> workers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("vigil-scan-worker-"))
            .toList();
    for (Thread worker : workers) {
      worker.join(TimeUnit.MINUTES.toMillis(1));
    }
    return workers.stream().filter(Thread::isAlive).toList();
  }

  private record Scanned(List<String> out, List<String> err, OfflineScan.Totals totals) {}

  private static Scanned scan(List<Path> files, int threads, ScanWorkers.Bounds bounds)
      throws InterruptedException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    OfflineScan.Totals totals =
        OfflineScan.scan(
            engine,
            SETTINGS,
            new AwsLogDecoder(),
            files,
            AlertJson::toJson,
            true,
            threads,
            bounds,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new Scanned(out.toString().lines().toList(), err.toString().lines().toList(), totals);
  }

  /** A receiver that ignores everything; tests override what they count. */
  private abstract static class Counting implements ScanWorkers.Receiver {
    @Override
    public void cloudTrail(CloudTrailEvent event, DetectionEngine.Evaluation evaluation) {}

    @Override
    public void flow(FlowRecord record, DetectionEngine.Evaluation evaluation) {}

    @Override
    public void rejected(Rejected rejected) {}

    @Override
    public void read(Path file, DecodeSummary summary) {}

    @Override
    public void unreadable(Path file, IOException cause) {}
  }

  // --- the generated directory -----------------------------------------------------------------

  /**
   * About 300 files: the Invictus events in CloudTrail files of 11 events (gzip {@code Records}
   * objects, every third one JSON lines instead), every tenth file redelivering two events of the
   * one before; one file of bad lines among them; then 30 flow log files whose records, one
   * internet address reaching a new port in each, make a port scan only when read in order.
   */
  private static void writeManyFiles(Path dir) throws IOException {
    List<JsonNode> events = invictusEvents();
    int chunk = 11;
    int n = 0;
    for (int i = 0; i < events.size(); i += chunk, n++) {
      List<JsonNode> part = new ArrayList<>(events.subList(i, Math.min(events.size(), i + chunk)));
      if (n % 10 == 9) {
        part.addAll(events.subList(i - chunk, i - chunk + 2));
      }
      String name = String.format("ct-%04d", n);
      if (n % 3 == 0) {
        StringBuilder lines = new StringBuilder();
        for (JsonNode event : part) {
          lines.append(JSON.writeValueAsString(event)).append('\n');
        }
        Files.writeString(dir.resolve(name + ".jsonl"), lines);
      } else {
        Files.write(dir.resolve(name + ".json.gz"), gzip(recordsObject(part)));
      }
      if (n == 100) {
        Files.writeString(
            dir.resolve(name + "-bad.jsonl"),
            JSON.writeValueAsString(events.get(0))
                + "\n{not json\n"
                + "{\"eventTime\": \"yesterday\"}\n");
      }
    }
    long start = Instant.parse("2026-11-28T10:00:00Z").getEpochSecond();
    String header =
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
            + " start end action log-status\n";
    for (int f = 0; f < 30; f++) {
      long t = start + f * 5L;
      String lines =
          header
              + "2 111122223333 eni-0a1b 203.0.113.77 10.0.0.5 40000 "
              + (1000 + f)
              + " 6 1 40 "
              + t
              + " "
              + (t + 4)
              + " REJECT OK\n"
              + "2 111122223333 eni-0a1b 10.0.0.5 10.0.0.9 443 50000 6 10 840 "
              + t
              + " "
              + (t + 4)
              + " ACCEPT OK\n";
      if (f == 17) {
        lines +=
            "2 111122223333 eni-0a1b 198.51.100.7 10.0.0.5 50000 22 6 10 840 "
                + t
                + " "
                + (t + 4)
                + " ACCEPT OK\n";
      }
      Files.write(
          dir.resolve(String.format("flow-%02d.log.gz", f)),
          gzip(lines.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static List<JsonNode> invictusEvents() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (Path file : OfflineScan.files(List.of(INVICTUS))) {
      JSON.readTree(file.toFile()).get("Records").forEach(events::add);
    }
    return events;
  }

  private static byte[] recordsObject(List<JsonNode> events) throws IOException {
    return JSON.writeValueAsBytes(JSON.createObjectNode().set("Records", JSON.valueToTree(events)));
  }

  private static String oneEventLine(Path stratusFile) throws IOException {
    return JSON.writeValueAsString(JSON.readTree(stratusFile.toFile()).get(0));
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
