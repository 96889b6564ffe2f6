package io.vigil.sinks.delivery;

import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.Topic;
import io.vigil.sinks.delivery.SinkHealth.State;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sink on one feed (see {@link Feed}: alerts, or the archive's aggregates): its own
 * consumer (own group) on the feed's topic, on its own thread, so that a slow or failing receiver
 * delays only its own sink.
 *
 * <p>Delivery is at-least-once. Records are handled in offset order; an offset is committed only
 * after every record before it was delivered, filtered out or dead-lettered, and (for buffering
 * sinks) after the sink reports its buffer durable. Retryable failures are retried with backoff
 * while the consumer keeps polling with its partitions paused, so a long retry never costs the
 * group membership; a fatal failure or exhausted retries sends the record to the DLQ as a {@link
 * Rejected} record (source type {@code sink}) and the runner moves on. A runner stopped mid-batch
 * commits only what was done, so the rest is delivered again after a restart: duplicates carry the
 * same idempotency key ({@link Sink#idempotencyKey}).
 */
public final class SinkRunner<T> implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration DLQ_SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RECALL_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final String type;
  private final Sink<T> sink;
  private final Feed<T> feed;
  private final RetryPolicy retry;
  private final Consumer<String, byte[]> consumer;
  private final Producer<String, Rejected> deadLetters;
  private final Topic<String, Rejected> dlq;
  private final SinkMetrics metrics;
  private final Redactor redactor;
  private final Clock clock;

  private final Map<TopicPartition, Long> processed = new HashMap<>();
  private final Set<TopicPartition> revokedDuringBatch = new HashSet<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private volatile boolean stopping;
  private volatile String detail = "";
  private boolean busy;

  /**
   * @param name the runner's name in logs and health: the sink's name, with {@code /aggregates}
   *     appended for the archive's second feed
   * @param consumer a consumer of the feed's topic with string keys and byte-array values, manual
   *     commits and read_committed; the runner owns and closes it
   * @param deadLetters the DLQ producer, which may be shared; the runner does not close it
   */
  public SinkRunner(
      String name,
      String type,
      Sink<T> sink,
      Feed<T> feed,
      RetryPolicy retry,
      Consumer<String, byte[]> consumer,
      Producer<String, Rejected> deadLetters,
      Topic<String, Rejected> dlq,
      SinkMetrics metrics,
      Redactor redactor,
      Clock clock) {
    this.name = name;
    this.type = type;
    this.sink = sink;
    this.feed = feed;
    this.retry = retry;
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.dlq = dlq;
    this.metrics = metrics;
    this.redactor = redactor;
    this.clock = clock;
  }

  public String name() {
    return name;
  }

  public SinkHealth health() {
    return new SinkHealth(
        name, state.get(), (long) metrics.sentCount(), (long) metrics.failedCount(), detail);
  }

  @Override
  public void run() {
    try {
      recall();
      consumer.subscribe(List.of(feed.topic().name()), new Rebalance());
      while (!stopping) {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        state.compareAndSet(State.STARTING, State.RUNNING);
        handle(records);
        flushAndCommit(false);
      }
      flushAndCommit(true);
      state.set(State.STOPPED);
    } catch (StopRequested e) {
      // Stopped while waiting to retry: what was done is committed, the rest comes again.
      commitDurable();
      state.set(State.STOPPED);
    } catch (Exception e) {
      detail = redactor.scrub(e.getClass().getSimpleName() + ": " + e.getMessage());
      log.error("sink '{}' ({}) stopped: {}", name, type, detail);
      state.set(State.FAILED);
    } finally {
      try {
        // Leave the group even as a static member: after an orderly stop the partitions go to the
        // other instances at once (a crash, which cannot leave, is what static membership is for).
        consumer.close(
            CloseOptions.timeout(Duration.ofSeconds(5))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      } catch (RuntimeException e) {
        log.warn("sink '{}': closing its consumer failed: {}", name, redactor.scrub(e.toString()));
      }
      finished.countDown();
    }
  }

  /** Asks the runner to stop and waits up to {@code timeout} for it. */
  public boolean stop(Duration timeout) throws InterruptedException {
    stopping = true;
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    try {
      if (!stop(Duration.ofSeconds(30))) {
        log.warn("sink '{}' did not stop within 30 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(ConsumerRecords<String, byte[]> records) throws StopRequested {
    if (records.isEmpty()) {
      return;
    }
    busy = true;
    revokedDuringBatch.clear();
    try {
      List<Entry<T>> batch = new ArrayList<>();
      int deliverable = 0;
      for (ConsumerRecord<String, byte[]> record : records) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (revokedDuringBatch.contains(tp) || !consumer.assignment().contains(tp)) {
          continue; // its new owner starts from the committed offset
        }
        T value;
        try {
          value =
              record.value() == null
                  ? null
                  : feed.topic()
                      .valueSerde()
                      .deserializer()
                      .deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
          deadLetterUndecodable(record, e);
          batch.add(new Entry<>(record, null));
          continue;
        }
        boolean accepted = value != null && feed.accepts(value);
        if (value != null && !accepted) {
          metrics.filtered();
        }
        batch.add(new Entry<>(record, accepted ? value : null));
        if (accepted && ++deliverable >= sink.maxBatch()) {
          deliver(batch);
          batch = new ArrayList<>();
          deliverable = 0;
        }
      }
      deliver(batch);
    } finally {
      busy = false;
      consumer.resume(consumer.assignment());
    }
  }

  private void deliver(List<Entry<T>> batch) throws StopRequested {
    List<Entry<T>> deliverable = batch.stream().filter(e -> e.value != null).toList();
    if (!deliverable.isEmpty()) {
      deliverWithRetries(deliverable);
    }
    for (Entry<T> entry : batch) {
      TopicPartition tp = new TopicPartition(entry.record.topic(), entry.record.partition());
      if (!revokedDuringBatch.contains(tp) && consumer.assignment().contains(tp)) {
        processed.merge(tp, entry.record.offset() + 1, Math::max);
      }
    }
  }

  private void deliverWithRetries(List<Entry<T>> items) throws StopRequested {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      if (stopping) {
        throw new StopRequested();
      }
      DeliveryException failure;
      try {
        sink.deliver(items.stream().map(e -> e.value).toList());
        metrics.sent(items.size(), Duration.ofNanos(System.nanoTime() - started));
        state.compareAndSet(State.RETRYING, State.RUNNING);
        return;
      } catch (DeliveryException e) {
        failure = e;
      } catch (RuntimeException e) {
        // A defect in a sink or a renderer must not stop the pipeline: fatal for this record.
        failure =
            DeliveryException.fatal(
                "sink_error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      if (!failure.retryable()) {
        if (items.size() > 1) {
          // One bad record must not take the good ones of its batch to the DLQ with it.
          for (Entry<T> item : items) {
            deliverWithRetries(List.of(item));
          }
          return;
        }
        deadLetter(items.get(0), failure.reason(), failure.getMessage(), attempt, false);
        return;
      }
      if (!retry.mayRetryAfter(attempt)) {
        for (Entry<T> item : items) {
          deadLetter(
              item,
              "retries_exhausted",
              failure.reason() + ": " + failure.getMessage(),
              attempt,
              true);
        }
        return;
      }
      metrics.retried();
      Duration wait =
          retry.backoff(attempt, failure.retryAfter(), ThreadLocalRandom.current()::nextDouble);
      detail = redactor.scrub(failure.reason() + ": " + failure.getMessage());
      state.set(State.RETRYING);
      log.warn(
          "sink '{}' ({}): attempt {} of {} {} failed ({}), retrying in {} ms",
          name,
          type,
          attempt,
          items.size(),
          feed.kind(),
          detail,
          wait.toMillis());
      waitKeepingMembership(wait);
    }
  }

  private void deadLetter(
      Entry<T> entry, String reason, String message, int attempts, boolean exhausted)
      throws StopRequested {
    String text =
        redactor.scrub(
            "sink '"
                + name
                + "' ("
                + type
                + ") gave up after "
                + attempts
                + " attempt(s): "
                + message);
    Map<String, String> identity = new TreeMap<>(feed.identity(entry.value));
    Map<String, String> attributes = new LinkedHashMap<>(baseAttributes(entry.record));
    attributes.putAll(identity);
    attributes.put("attempts", Integer.toString(attempts));
    send(entry.record, "sink_" + reason, text, feed.json(entry.value), attributes);
    metrics.failed(exhausted);
    log.warn("sink '{}' ({}): {} {} sent to the DLQ: {}", name, type, feed.kind(), identity, text);
  }

  private void deadLetterUndecodable(ConsumerRecord<String, byte[]> record, RuntimeException e)
      throws StopRequested {
    String text =
        redactor.scrub(
            "sink '"
                + name
                + "' cannot decode the record: "
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage());
    Map<String, String> attributes = new LinkedHashMap<>(baseAttributes(record));
    attributes.put("exception", e.getClass().getName());
    send(record, "sink_deserialization_failed", text, record.value(), attributes);
    metrics.undecodable();
    log.warn("{}", text);
  }

  private Map<String, String> baseAttributes(ConsumerRecord<String, byte[]> record) {
    return Map.of(
        "sink",
        name,
        "sink_type",
        type,
        "topic",
        record.topic(),
        "partition",
        Integer.toString(record.partition()),
        "offset",
        Long.toString(record.offset()));
  }

  private void send(
      ConsumerRecord<String, byte[]> record,
      String reason,
      String message,
      byte[] raw,
      Map<String, String> attributes)
      throws StopRequested {
    String location = DeadLetters.location(record.topic(), record.partition(), record.offset());
    Rejected rejected =
        DeadLetters.failedDelivery(
            reason, message, location, raw, "sinks." + name, attributes, clock.instant());
    // The offset is committed after this, so the DLQ write must be durable first; Kafka being
    // unreachable stops every sink anyway, so this retries until it works or the sink stops.
    for (int attempt = 1; ; attempt++) {
      try {
        deadLetters
            .send(new ProducerRecord<>(dlq.name(), location, rejected))
            .get(DLQ_SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        detail = "DLQ write failed: " + redactor.scrub(e.toString());
        state.set(State.RETRYING);
        log.warn("sink '{}': {}", name, detail);
        waitKeepingMembership(
            retry.backoff(Math.min(attempt, 30), null, ThreadLocalRandom.current()::nextDouble));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StopRequested();
      }
    }
  }

  private void flushAndCommit(boolean force) throws StopRequested {
    for (int attempt = 1; ; attempt++) {
      boolean durable;
      try {
        durable = sink.flush(force);
      } catch (DeliveryException e) {
        // An archive that cannot upload keeps its buffer and its uncommitted offsets: nothing is
        // dead-lettered, the upload is retried until it works.
        detail = redactor.scrub("flush failed: " + e.reason() + ": " + e.getMessage());
        state.set(State.RETRYING);
        log.warn("sink '{}' ({}): {}", name, type, detail);
        if (stopping) {
          return;
        }
        waitKeepingMembership(
            retry.backoff(
                Math.min(attempt, 30), e.retryAfter(), ThreadLocalRandom.current()::nextDouble));
        continue;
      }
      if (durable) {
        state.compareAndSet(State.RETRYING, State.RUNNING);
        commit(processed.keySet());
      }
      return;
    }
  }

  private void commitDurable() {
    try {
      if (sink.flush(true)) {
        commit(processed.keySet());
      }
    } catch (DeliveryException | RuntimeException e) {
      log.warn(
          "sink '{}': final flush failed, the buffered records come again after a restart: {}",
          name,
          redactor.scrub(e.getMessage()));
    }
  }

  private void commit(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Set<TopicPartition> owned = consumer.assignment();
    for (TopicPartition tp : partitions) {
      Long next = processed.get(tp);
      if (next != null && owned.contains(tp)) {
        offsets.put(tp, new OffsetAndMetadata(next));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
      processed.keySet().removeAll(offsets.keySet());
    } catch (KafkaException e) {
      // A rebalance took the partitions: their new owner redelivers from the last commit.
      log.warn(
          "sink '{}': offset commit failed, some records may be delivered again: {}",
          name,
          e.toString());
    }
  }

  // A sink that remembers (paging per incident) is given what it delivered lately first; at worst
  // it starts with less memory (an incident pages again), never with a record lost.
  private void recall() {
    Duration span = sink.memory();
    if (span.isZero()) {
      return;
    }
    try {
      List<T> recalled = Recall.recent(consumer, feed, span, RECALL_TIMEOUT);
      sink.remember(recalled);
      log.info("sink '{}': recalled {} records of the last {}", name, recalled.size(), span);
    } catch (KafkaException e) {
      log.warn("sink '{}': could not recall what it delivered lately: {}", name, e.toString());
      sink.remember(List.of());
    }
  }

  private void waitKeepingMembership(Duration wait) throws StopRequested {
    long deadline = System.nanoTime() + wait.toNanos();
    consumer.pause(consumer.assignment());
    while (true) {
      if (stopping) {
        throw new StopRequested();
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      ConsumerRecords<String, byte[]> got =
          consumer.poll(Duration.ofNanos(Math.min(remaining, POLL.toNanos())));
      // Partitions assigned during the wait are paused by the listener; should any record still
      // arrive, rewind so that it is read again in order after this batch.
      for (TopicPartition tp : got.partitions()) {
        consumer.seek(tp, got.records(tp).get(0).offset());
      }
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      if (busy) {
        revokedDuringBatch.addAll(partitions);
      }
      try {
        if (partitions.stream().anyMatch(processed::containsKey) && sink.flush(true)) {
          commit(partitions);
        }
      } catch (DeliveryException | RuntimeException e) {
        log.warn(
            "sink '{}': could not flush before giving up partitions {}: {}",
            name,
            partitions,
            redactor.scrub(e.getMessage()));
      }
      processed.keySet().removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (busy) {
        consumer.pause(partitions);
      }
      log.info("sink '{}' ({}) consumes {}", name, type, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (busy) {
        revokedDuringBatch.addAll(partitions);
      }
      processed.keySet().removeAll(partitions);
    }
  }

  private record Entry<T>(ConsumerRecord<String, byte[]> record, T value) {}

  /** The runner was asked to stop in the middle of a delivery. */
  private static final class StopRequested extends Exception {
    private static final long serialVersionUID = 1L;

    StopRequested() {
      super(null, null, false, false);
    }
  }
}
