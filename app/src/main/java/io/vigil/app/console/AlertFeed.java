package io.vigil.app.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.app.console.PublicationLog.Publication;
import io.vigil.app.runtime.KafkaConnection;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every publication on the alerts topic, as it arrives, fanned out to the open alert streams of the
 * console. One Kafka consumer per process reads the topic ({@code read_committed}: the detection
 * topology publishes in transactions, and an aborted one must never reach an analyst), renders each
 * alert once, keeps the latest ones in a {@link PublicationLog} for browsers that reconnect, and
 * offers each to every subscriber's bounded queue without ever waiting: a subscriber whose queue is
 * full is ended, so a slow browser never holds up the feed, the pipeline or other browsers.
 *
 * <p>The consumer is assigned every partition and joins no consumer group: the feed wants the
 * newest publications, not a share of them, and not the position of a previous run (what it missed
 * while stopped is in the alert view's snapshot). So there is nothing to rebalance, no offsets to
 * commit, and no group left behind on the cluster at every restart; it needs only read access to
 * the topic. It starts a few publications back ({@code console.stream.replay}) so that a browser
 * reconnecting after a restart of Vigil can still resume, and checks for new partitions now and
 * then.
 */
public final class AlertFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration PARTITION_CHECK = Duration.ofMinutes(1);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> consumerProperties;
  private final Topic<String, Alert> topic;
  private final PublicationLog publications;
  private final Set<Subscription> subscribers = new HashSet<>();
  private final Counter dropped;
  private final Counter undecodable;
  private final Deserializer<Alert> alerts;
  private final Function<Alert, String> render;
  private KafkaConsumer<String, byte[]> consumer;
  private Thread poller;
  private volatile boolean running;
  private long nextPartitionCheck;

  /**
   * @param clientProperties how to reach the cluster (bootstrap servers, TLS, SASL)
   * @param replay how many recent publications to keep for reconnecting browsers
   * @param render how an alert is sent (with its triage state as of its publication)
   */
  public AlertFeed(
      Map<String, Object> clientProperties,
      String clientId,
      Topic<String, Alert> topic,
      int replay,
      Function<Alert, String> render,
      MeterRegistry metrics) {
    this.render = render;
    this.consumerProperties = KafkaConnection.readerProperties(clientProperties, clientId);
    this.topic = topic;
    this.publications = new PublicationLog(replay);
    this.alerts = topic.valueSerde().deserializer();
    this.dropped =
        Counter.builder("vigil.console.streams.dropped")
            .description("Console alert streams ended because the browser did not keep up")
            .register(metrics);
    this.undecodable =
        Counter.builder("vigil.console.feed.undecodable")
            .description(
                "Records of the alerts topic the console feed could not decode and skipped")
            .register(metrics);
  }

  /**
   * Assigns every partition a few publications back from its end, reads up to the end (for at most
   * {@code catchUp}), then follows the topic on a thread of its own.
   */
  public void start(Duration catchUp) {
    consumer =
        new KafkaConsumer<>(
            consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = partitions();
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
    for (TopicPartition tp : partitions) {
      long from = Math.max(beginning.get(tp), end.get(tp) - publications.capacity());
      consumer.seek(tp, from);
      synchronized (this) {
        publications.follow(tp.partition(), from);
      }
    }
    long deadline = System.nanoTime() + catchUp.toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
        && System.nanoTime() < deadline) {
      pollOnce();
    }
    nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
    running = true;
    poller = new Thread(this::follow, "vigil-console-feed");
    poller.setDaemon(true);
    poller.start();
    log.info("Console feed following {} ({} partitions)", topic.name(), partitions.size());
  }

  /**
   * Opens a subscription. With {@code seen} (the browser's {@code Last-Event-ID}) still covered by
   * the recent publications, its backlog is what came after it ({@link Subscription#resumed()});
   * otherwise the subscriber must send the snapshot first, and the backlog is every publication
   * held: the snapshot comes from the alert view's global store, whose read position Kafka Streams
   * does not tell, so any of them may be newer than the snapshot (the stream sends only those that
   * are, see {@code AlertStreamEndpoint.news}).
   *
   * @throws IllegalStateException once the feed is stopping
   */
  public Subscription subscribe(Optional<FeedPosition> seen, int capacity) {
    synchronized (this) {
      if (!running) {
        throw new IllegalStateException("the console feed is not running");
      }
      Optional<List<Publication>> missed = seen.flatMap(publications::after);
      List<Publication> backlog = missed.orElseGet(publications::held);
      Subscription subscription =
          new Subscription(capacity, backlog, missed.isPresent(), publications.position());
      subscribers.add(subscription);
      return subscription;
    }
  }

  public synchronized void unsubscribe(Subscription subscription) {
    subscribers.remove(subscription);
  }

  private void follow() {
    Duration backoff = Duration.ofSeconds(1);
    try {
      while (running) {
        try {
          pollOnce();
          if (System.nanoTime() > nextPartitionCheck) {
            nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
            followNewPartitions();
          }
          backoff = Duration.ofSeconds(1);
        } catch (WakeupException stopping) {
          break;
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          // The cluster may come back (or the ACL be fixed): keep trying, without flooding the log.
          log.warn(
              "Console feed cannot read {}: {}; retrying in {}",
              topic.name(),
              e.toString(),
              backoff);
          try {
            Thread.sleep(backoff.toMillis());
          } catch (InterruptedException interrupted) {
            break;
          }
          backoff =
              backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                  ? Duration.ofSeconds(30)
                  : backoff.multipliedBy(2);
        }
      }
    } finally {
      // close() interrupts this thread to cut a backoff short; the consumer's own close must still
      // run.
      Thread.interrupted();
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } finally {
        endAll("Vigil is stopping");
      }
    }
  }

  private void pollOnce() {
    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
      if (record.key() == null) {
        continue; // not an alert publication: alerts are keyed by dedup key
      }
      String event;
      Supplier<String> data;
      int update;
      if (record.value() == null) {
        event = "remove";
        String removed =
            JsonNodeFactory.instance.objectNode().put("dedup_key", record.key()).toString();
        data = () -> removed;
        update = -1;
      } else {
        Alert alert;
        try {
          alert = alerts.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
          undecodable.increment();
          log.warn(
              "Console feed skipped an undecodable record at {}-{}@{}: {}",
              record.topic(),
              record.partition(),
              record.offset(),
              e.getClass().getSimpleName());
          continue;
        }
        event = "alert";
        Alert read = alert;
        data = () -> render.apply(read);
        update = alert.getUpdate();
      }
      publish(record.partition(), record.offset(), event, record.key(), update, data);
    }
  }

  // Rendered under the feed's lock, as a triage change is published: an alert rendered with the
  // state before a change is sent before that change, never after it.
  private synchronized void publish(
      int partition, long offset, String event, String key, int update, Supplier<String> data) {
    offerToAll(publications.append(partition, offset, event, key, update, data.get()));
  }

  /**
   * Sends an event that has no place in the alerts topic (a triage change) to every open stream,
   * without an id: a browser that resumes after missing it reloads the alerts' states instead.
   */
  public synchronized void publishUnpositioned(String event, String data) {
    offerToAll(new Publication(-1, -1, null, event, null, -1, data));
  }

  private void offerToAll(Publication publication) {
    List<Subscription> slow = new ArrayList<>();
    for (Subscription subscriber : subscribers) {
      if (!subscriber.offer(publication)) {
        slow.add(subscriber);
      }
    }
    for (Subscription subscriber : slow) {
      subscribers.remove(subscriber);
      dropped.increment();
      subscriber.end(
          "the browser did not keep up with the alerts (" + subscriber.capacity() + " waiting)");
    }
  }

  private void followNewPartitions() {
    List<TopicPartition> all = partitions();
    List<TopicPartition> added = new ArrayList<>();
    synchronized (this) {
      for (TopicPartition tp : all) {
        if (!publications.follows(tp.partition())) {
          added.add(tp);
        }
      }
    }
    if (added.isEmpty()) {
      return;
    }
    consumer.assign(all);
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(added, METADATA_TIMEOUT);
    for (TopicPartition tp : added) {
      // A partition that appeared while we were reading: everything in it is new.
      consumer.seek(tp, beginning.get(tp));
      synchronized (this) {
        publications.follow(tp.partition(), beginning.get(tp));
      }
    }
    log.info("Console feed now follows partitions {} of {} too", added, topic.name());
  }

  private List<TopicPartition> partitions() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), METADATA_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic " + topic.name() + " has no partitions (does it exist?)");
    }
    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
  }

  private synchronized void endAll(String reason) {
    for (Subscription subscriber : subscribers) {
      subscriber.end(reason);
    }
    subscribers.clear();
  }

  /** Stops following the topic and ends every subscription. */
  @Override
  public void close() {
    running = false;
    if (poller == null) {
      if (consumer != null) {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      }
      return;
    }
    consumer.wakeup();
    poller.interrupt();
    try {
      poller.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endAll("Vigil is stopping");
  }

  /**
   * One browser's share of the feed: the publications it must be sent first (the backlog), then a
   * bounded queue of new ones. Ended by the feed (the browser fell behind, or Vigil is stopping) by
   * interrupting the thread that writes it, which also aborts a write blocked on a browser that
   * stopped reading.
   */
  public static final class Subscription {

    private final BlockingQueue<Publication> queue;
    private final int capacity;
    private final List<Publication> backlog;
    private final boolean resumed;
    private final FeedPosition start;
    private Thread writer;
    private String endReason;

    Subscription(int capacity, List<Publication> backlog, boolean resumed, FeedPosition start) {
      this.queue = new ArrayBlockingQueue<>(capacity);
      this.capacity = capacity;
      this.backlog = List.copyOf(backlog);
      this.resumed = resumed;
      this.start = start;
    }

    /** Whether the browser's {@code Last-Event-ID} was recent enough to need no snapshot. */
    public boolean resumed() {
      return resumed;
    }

    /** What to send before the live publications (after the snapshot, when there is one). */
    public List<Publication> backlog() {
      return backlog;
    }

    /** The feed's position when the subscription opened: the backlog and snapshot reach it. */
    public FeedPosition start() {
      return start;
    }

    public int capacity() {
      return capacity;
    }

    BlockingQueue<Publication> queue() {
      return queue;
    }

    boolean offer(Publication publication) {
      return queue.offer(publication);
    }

    /** Binds the subscription to the thread that writes it (ending it interrupts that thread). */
    synchronized void attach(Thread thread) {
      writer = thread;
      if (endReason != null) {
        thread.interrupt();
      }
    }

    /** Unbinds the writing thread, which goes on to other work: ending no longer interrupts it. */
    synchronized void detach() {
      writer = null;
    }

    synchronized void end(String reason) {
      if (endReason == null) {
        endReason = reason;
      }
      if (writer != null) {
        writer.interrupt();
      }
    }

    /** Why the feed ended the subscription; null while it is open. */
    synchronized String endReason() {
      return endReason;
    }
  }
}
