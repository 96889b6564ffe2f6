package io.vigil.ingest.kinesis;

import io.vigil.ingest.aws.AwsCallException;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.kinesis.ShardLineage.ShardStart;
import io.vigil.ingest.publish.UnitPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Reads one Kinesis stream into Kafka exactly once, with Vigil's own GetRecords loop (no KCL).
 *
 * <p>ListShards runs at start and every {@link KinesisSettings#shardListInterval} (and at once when
 * a shard ends, to find its children). Each open shard gets one reader; readers share a small
 * thread pool and hold a thread only for one GetRecords call and the publication of its records.
 * Each batch is one {@link UnitPublisher} unit, checkpointed under {@code kinesis://stream/shardId}
 * with the last sequence number; a shard read to its end gets a last checkpoint with {@code
 * shard_end=true}, and only then do its children start (see {@link ShardLineage}). A restarted
 * source resumes every shard after its committed sequence number.
 *
 * <p>Records are decoded with the {@link LogDecoder}: CloudWatch Logs subscription payloads (gzip),
 * raw CloudTrail events and flow log lines are recognised by content. A record that the Kinesis
 * Producer Library aggregated is unpacked first ({@link KplAggregate}) and each of its user records
 * decoded on its own, located as {@code kinesis://stream/shardId/sequence/index}.
 *
 * <p>Several instances share a stream through {@link ShardLeases}: each reads the shards it leases,
 * commits each batch fenced by its lease, and learns of the others' checkpoints (a parent shard
 * finished elsewhere, where a shard it takes over resumes) by reading the checkpoint topic on at
 * every listing and before it takes a lease.
 *
 * <p>{@link #stop} lets the batch in hand finish (its unit commits or not at all) and starts no
 * other; the publisher stays open, it belongs to the caller.
 */
public final class KinesisSource implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KinesisSource.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  private final KinesisSettings settings;
  private final KinesisClient kinesis;
  private final boolean ownsClient;
  private final UnitPublisher publisher;
  private final LogDecoder decoder;
  private final Backoff backoff;
  private final ShardLineage lineage;
  private final ShardOwnership ownership;
  private final Map<String, ActiveReader> active = new ConcurrentHashMap<>();

  private ScheduledThreadPoolExecutor scheduler;
  private volatile boolean stopping;
  private volatile String callFailure;

  /** A source reading with the caller's client; the caller closes the client. */
  public KinesisSource(
      KinesisSettings settings,
      KinesisClient kinesis,
      UnitPublisher publisher,
      LogDecoder decoder) {
    this(settings, kinesis, false, publisher, decoder, new SplittableRandom());
  }

  KinesisSource(
      KinesisSettings settings,
      KinesisClient kinesis,
      boolean ownsClient,
      UnitPublisher publisher,
      LogDecoder decoder,
      RandomGenerator jitter) {
    this(settings, kinesis, ownsClient, publisher, decoder, jitter, ShardOwnership.EVERY_SHARD);
  }

  KinesisSource(
      KinesisSettings settings,
      KinesisClient kinesis,
      boolean ownsClient,
      UnitPublisher publisher,
      LogDecoder decoder,
      RandomGenerator jitter,
      ShardOwnership ownership) {
    this.ownership = Objects.requireNonNull(ownership, "ownership");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
    this.ownsClient = ownsClient;
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.backoff = new Backoff(settings.backoffBase(), settings.backoffMax(), jitter);
    this.lineage =
        new ShardLineage(
            settings.stream(), settings.startPosition(), publisher::committed, ownership::owns);
  }

  /**
   * A source with its own client, built from {@link KinesisSettings#aws} with credentials from the
   * default chain, and closed with the source.
   */
  public static KinesisSource create(
      KinesisSettings settings, UnitPublisher publisher, LogDecoder decoder) {
    return new KinesisSource(
        settings,
        KinesisClients.create(settings.aws()),
        true,
        publisher,
        decoder,
        new SplittableRandom());
  }

  /**
   * A source with its own client that shares the stream with the other instances holding {@code
   * leases} in the same group; the leases are closed with the source.
   */
  public static KinesisSource shared(
      KinesisSettings settings, UnitPublisher publisher, LogDecoder decoder, ShardLeases leases) {
    return new KinesisSource(
        settings,
        KinesisClients.create(settings.aws()),
        true,
        publisher,
        decoder,
        new SplittableRandom(),
        leases);
  }

  /**
   * Starts listing shards and reading them in the background; returns at once. A source starts
   * once: after {@link #stop}, a new source resumes from the committed checkpoints.
   */
  public synchronized void start() {
    if (scheduler != null) {
      throw new IllegalStateException(
          "Kinesis source for " + settings.stream() + " was already started");
    }
    scheduler =
        new ScheduledThreadPoolExecutor(
            settings.readerThreads(), threads("vigil-kinesis-" + settings.stream()));
    // On stop, waiting polls and listings are dropped; only the batch in hand completes.
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    scheduler.setRemoveOnCancelPolicy(true);
    ownership.start(new LeaseChanges());
    long listMillis = settings.shardListInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::listShards, 0, listMillis, TimeUnit.MILLISECONDS);
    log.info(
        "Kinesis source started on stream {} ({} from {}, {} reader threads)",
        settings.stream(),
        AwsCallException.endpointOf(kinesis),
        settings.startPosition(),
        settings.readerThreads());
  }

  /**
   * Stops reading: batches in hand finish publishing (or fail as a whole), nothing new starts.
   * Waits up to a minute for them; the next start resumes from the committed checkpoints.
   */
  public void stop() {
    ScheduledThreadPoolExecutor running;
    synchronized (this) {
      running = scheduler;
      stopping = true;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    // Readers see "stopping" and start nothing; the leases go back once the batch in hand is done.
    try {
      if (!running.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Kinesis source {}: readers still busy after {}, interrupting them",
            settings.stream(),
            STOP_WAIT);
        running.shutdownNow();
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    }
    ownership.close();
    log.info("Kinesis source on stream {} stopped", settings.stream());
  }

  /** Stops, and closes the Kinesis client if this source built it. */
  @Override
  public void close() {
    stop();
    if (ownsClient) {
      kinesis.close();
    }
  }

  /** Each known shard by id, with where it stands (waiting, reading, finished or skipped). */
  public Map<String, String> shardPhases() {
    Map<String, String> phases = new TreeMap<>();
    lineage.phases().forEach((id, phase) -> phases.put(id, phase.name().toLowerCase(Locale.ROOT)));
    return phases;
  }

  /**
   * Why the last call to Kinesis failed (ListShards, or a reader's GetShardIterator or GetRecords;
   * throttling aside), naming the endpoint, operation and stream; empty once a call succeeds again.
   * A failed lease group comes first: then this instance reads nothing.
   */
  public Optional<String> callFailure() {
    return ownership.problem().or(() -> Optional.ofNullable(callFailure));
  }

  private void listShards() {
    if (stopping) {
      return;
    }
    List<Shard> shards;
    try {
      if (ownership.shared()) {
        // The others' checkpoints: parents they finished, shards they read before this one.
        publisher.refreshCommitted();
      }
      shards = allShards();
    } catch (SdkException e) {
      // The next periodic listing retries; readers already running are not affected.
      callFailure =
          AwsCallException.of(
                  AwsService.KINESIS, "ListShards", kinesis, "stream " + settings.stream(), e)
              .getMessage();
      log.warn("{}; retrying in {}", callFailure, settings.shardListInterval());
      return;
    } catch (RuntimeException e) {
      log.error("Kinesis stream {}: listing shards failed", settings.stream(), e);
      return;
    }
    callFailure = null;
    launch(lineage.listed(shards));
  }

  private List<Shard> allShards() {
    List<Shard> shards = new ArrayList<>();
    ListShardsResponse page = kinesis.listShards(r -> r.streamName(settings.stream()));
    shards.addAll(page.shards());
    while (page.nextToken() != null) {
      // Kinesis refuses the stream name beside a next token.
      String token = page.nextToken();
      page = kinesis.listShards(r -> r.nextToken(token));
      shards.addAll(page.shards());
    }
    return shards;
  }

  private void launch(List<ShardStart> starts) {
    for (ShardStart start : starts) {
      log.info(
          "Kinesis shard {}/{}: reading from {}{}",
          settings.stream(),
          start.shardId(),
          start.type(),
          start.sequenceNumber() == null ? "" : " " + start.sequenceNumber());
      ActiveReader reader =
          new ActiveReader(
              new ShardReader(kinesis, settings, start, publisher, decoder, backoff, ownership));
      active.put(start.shardId(), reader);
      schedule(() -> read(reader), Duration.ZERO);
    }
  }

  private void read(ActiveReader active) {
    ShardReader reader = active.reader;
    ShardReader.Step step;
    active.busy.lock();
    try {
      if (stopping || active.released) {
        return;
      }
      step = reader.poll();
    } finally {
      active.busy.unlock();
    }
    reader.callFailure().ifPresentOrElse(f -> callFailure = f, () -> callFailure = null);
    switch (step.outcome()) {
      case CONTINUE -> schedule(() -> read(active), step.delay());
      case ENDED -> {
        this.active.remove(reader.shardId(), active);
        launch(lineage.finished(reader.shardId()));
        // Its children may be newer than the last listing.
        schedule(this::listShards, Duration.ZERO);
      }
      case ABANDONED -> {
        this.active.remove(reader.shardId(), active);
        lineage.abandoned(reader.shardId());
      }
      case RELEASED -> {
        this.active.remove(reader.shardId(), active);
        lineage.released(reader.shardId());
      }
      default -> throw new IllegalStateException("unknown outcome " + step.outcome());
    }
  }

  /** A shard's reader, and the lock its poll holds so that a lease is given up between polls. */
  private static final class ActiveReader {
    final ShardReader reader;
    final ReentrantLock busy = new ReentrantLock();
    volatile boolean released;

    ActiveReader(ShardReader reader) {
      this.reader = reader;
    }
  }

  private final class LeaseChanges implements ShardOwnership.Changes {

    @Override
    public void released(Predicate<String> shards) {
      for (ActiveReader reader : List.copyOf(active.values())) {
        String shardId = reader.reader.shardId();
        if (!shards.test(shardId)) {
          continue;
        }
        reader.released = true;
        // Waits for the poll in hand: its batch commits, or fails as a whole, before the lease
        // goes.
        reader.busy.lock();
        reader.busy.unlock();
        active.remove(shardId, reader);
        lineage.released(shardId);
        log.info("Kinesis shard {}/{}: lease given up", settings.stream(), shardId);
      }
    }

    @Override
    public void acquiring() {
      publisher.refreshCommitted();
    }

    @Override
    public void acquired() {
      schedule(KinesisSource.this::listShards, Duration.ZERO);
    }
  }

  private void schedule(Runnable task, Duration delay) {
    if (stopping) {
      return;
    }
    try {
      scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Only after stop(): the task is not wanted any more.
      if (!stopping) {
        throw e;
      }
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
