package io.vigil.ingest.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.publish.TransactionalUnitPublisher;
import io.vigil.ingest.support.IngestTopics;
import io.vigil.ingest.support.SampleLogs;
import io.vigil.schemas.Rejected;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(InProcessKafkaExtension.class)
class FileIngestIT {

  private final LogDecoder decoder = new AwsLogDecoder();

  @TempDir Path dir;

  @Test
  void aDirectoryIngestedTwicePublishesOnceWithBadLinesRejectedByFileAndLine(KafkaCluster kafka)
      throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    Path nested = Files.createDirectories(dir.resolve("2026/11/02"));
    Files.writeString(
        dir.resolve("a.jsonl"),
        SampleLogs.cloudTrailLine("ev-a1") + "\n" + SampleLogs.cloudTrailLine("ev-a2") + "\n");
    Files.writeString(
        nested.resolve("b.jsonl"), SampleLogs.cloudTrailLine("ev-b1") + "\nthis is not json\n");

    try (var publisher =
        TransactionalUnitPublisher.start(
            kafka.clientProperties(), "files-1", topics.topics(), new SimpleMeterRegistry())) {
      FileIngester.Report first = new FileIngester(decoder, publisher).ingest(List.of(dir));
      assertThat(first.published()).isEqualTo(2);
      assertThat(first.records()).isEqualTo(3);
      assertThat(first.rejected()).isEqualTo(1);
    }
    // A new process: what it knows comes from the checkpoint topic only.
    try (var publisher =
        TransactionalUnitPublisher.start(
            kafka.clientProperties(), "files-1", topics.topics(), new SimpleMeterRegistry())) {
      FileIngester.Report second = new FileIngester(decoder, publisher).ingest(List.of(dir));
      assertThat(second.published()).isZero();
      assertThat(second.skipped()).isEqualTo(2);
    }

    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("ev-a1", "ev-a2", "ev-b1");
    List<Rejected> rejected = topics.values(topics.topics().dlq());
    assertThat(rejected)
        .extracting(Rejected::getSourceLocation)
        .containsExactly("file:" + nested.resolve("b.jsonl").toAbsolutePath() + "#line=2");
  }

  @Test
  void aFileChangedSinceItsCommitIsPublishedAgain(KafkaCluster kafka) throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    Path file = Files.writeString(dir.resolve("a.jsonl"), SampleLogs.cloudTrailLine("ev-1") + "\n");
    try (var publisher =
        TransactionalUnitPublisher.start(
            kafka.clientProperties(), "files-2", topics.topics(), new SimpleMeterRegistry())) {
      FileIngester ingester = new FileIngester(decoder, publisher);
      ingester.ingest(List.of(file));
      Files.writeString(
          file, SampleLogs.cloudTrailLine("ev-2") + "\n", java.nio.file.StandardOpenOption.APPEND);

      assertThat(ingester.ingest(List.of(file)).published()).isEqualTo(1);
    }
  }

  @Test
  void theInboxMovesUsableFilesToDoneAndUnusableOnesToFailed(KafkaCluster kafka) throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    Path inbox = dir.resolve("inbox");
    try (var publisher =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "inbox-1", topics.topics(), new SimpleMeterRegistry());
        var watcher =
            new InboxWatcher(inbox, new FileIngester(decoder, publisher), Duration.ofMillis(100))) {
      watcher.start();
      Files.writeString(inbox.resolve("trail.jsonl"), SampleLogs.cloudTrailLine("ev-1") + "\n");
      Files.writeString(inbox.resolve("notes.txt"), "nothing here is a log\n");
      Files.writeString(inbox.resolve(".partial.jsonl"), SampleLogs.cloudTrailLine("ev-2") + "\n");

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!(Files.exists(inbox.resolve("done/trail.jsonl"))
          && Files.exists(inbox.resolve("failed/notes.txt")))) {
        assertThat(System.nanoTime()).as("files moved in time").isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(inbox.resolve("trail.jsonl")).doesNotExist();
      assertThat(inbox.resolve(".partial.jsonl")).exists();
    }
    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactly("ev-1");
    assertThat(topics.values(topics.topics().dlq())).hasSize(1);
  }

  @Test
  void theInboxReadsNoSymbolicLinkOrFifoAndSaysWhyInFailed(KafkaCluster kafka) throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    Path inbox = dir.resolve("inbox");
    // Outside the inbox, readable by Vigil: what a link dropped by someone else would expose.
    Path secret =
        Files.writeString(
            dir.resolve("secret.jsonl"), SampleLogs.cloudTrailLine("ev-secret") + "\n");
    try (var publisher =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "inbox-3", topics.topics(), new SimpleMeterRegistry());
        var watcher =
            new InboxWatcher(inbox, new FileIngester(decoder, publisher), Duration.ZERO)) {
      Files.createSymbolicLink(inbox.resolve("link.jsonl"), secret);
      Path fifo = inbox.resolve("pipe.jsonl");
      boolean fifoMade =
          new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0;
      Files.writeString(inbox.resolve("trail.jsonl"), SampleLogs.cloudTrailLine("ev-1") + "\n");

      watcher.scanOnce();
      watcher.scanOnce();

      Path failed = inbox.resolve("failed");
      assertThat(Files.isSymbolicLink(failed.resolve("link.jsonl")))
          .as("the link itself moved, its target untouched")
          .isTrue();
      assertThat(Files.readString(failed.resolve("link.jsonl.reason")))
          .contains("is a symbolic link, not a regular file: not read");
      if (fifoMade) {
        assertThat(Files.readString(failed.resolve("pipe.jsonl.reason")))
            .contains("is a device, FIFO or socket, not a regular file: not read");
      }
      assertThat(inbox.resolve("done/trail.jsonl")).exists();
      assertThat(secret).exists();
    }
    assertThat(topics.readCommitted(topics.topics().cloudtrail()))
        .extracting(ConsumerRecord::key)
        .containsExactly("ev-1");
    assertThat(topics.values(topics.topics().dlq())).as("nothing of the target kept").isEmpty();
  }

  @Test
  void aFileStillGrowingWaitsForTheNextScan(KafkaCluster kafka) throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    Path inbox = dir.resolve("inbox");
    try (var publisher =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "inbox-2", topics.topics(), new SimpleMeterRegistry());
        var watcher =
            new InboxWatcher(inbox, new FileIngester(decoder, publisher), Duration.ZERO)) {
      Path file =
          Files.writeString(inbox.resolve("trail.jsonl"), SampleLogs.cloudTrailLine("ev-1") + "\n");
      assertThat(watcher.scanOnce()).isEmpty();
      Files.writeString(
          file, SampleLogs.cloudTrailLine("ev-2") + "\n", java.nio.file.StandardOpenOption.APPEND);
      assertThat(watcher.scanOnce()).isEmpty();
      assertThat(watcher.scanOnce()).containsExactly(inbox.resolve("done/trail.jsonl"));
    }
    assertThat(topics.readCommitted(topics.topics().cloudtrail())).hasSize(2);
  }

  @Test
  void aFileIsTakenOnlyOnceUnchangedForTheSettleTime(KafkaCluster kafka) throws Exception {
    IngestTopics topics = IngestTopics.create(kafka);
    Path inbox = dir.resolve("inbox");
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    try (var publisher =
            TransactionalUnitPublisher.start(
                kafka.clientProperties(), "inbox-4", topics.topics(), new SimpleMeterRegistry());
        var watcher =
            new InboxWatcher(
                inbox, new FileIngester(decoder, publisher), Duration.ofMillis(500), clock::get)) {
      Path file =
          Files.writeString(inbox.resolve("trail.jsonl"), SampleLogs.cloudTrailLine("ev-1") + "\n");
      assertThat(watcher.scanOnce()).as("first seen").isEmpty();
      clock.addAndGet(Duration.ofMillis(499).toNanos());
      assertThat(watcher.scanOnce()).as("unchanged for 499 ms: maybe still written").isEmpty();
      Files.writeString(
          file, SampleLogs.cloudTrailLine("ev-2") + "\n", java.nio.file.StandardOpenOption.APPEND);
      clock.addAndGet(Duration.ofMillis(400).toNanos());
      assertThat(watcher.scanOnce()).as("grew: the settle time starts again").isEmpty();
      clock.addAndGet(Duration.ofMillis(499).toNanos());
      assertThat(watcher.scanOnce()).isEmpty();
      clock.addAndGet(Duration.ofMillis(1).toNanos());
      assertThat(watcher.scanOnce()).containsExactly(inbox.resolve("done/trail.jsonl"));
    }
    assertThat(topics.readCommitted(topics.topics().cloudtrail())).hasSize(2);
  }
}
