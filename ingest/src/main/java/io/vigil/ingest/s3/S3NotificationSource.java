package io.vigil.ingest.s3;

import io.vigil.ingest.aws.AwsCallException;
import io.vigil.ingest.aws.AwsService;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.PublishException;
import io.vigil.ingest.publish.UnitPublisher;
import io.vigil.ingest.s3.S3Notification.MalformedNotificationException;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SourceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Ingests S3 log objects as S3 announces them on an SQS queue (directly, through SNS or
 * EventBridge, or CloudTrail's own SNS notification; see {@link S3Notification}).
 *
 * <p>Each object is one unit (see {@link S3ObjectIngester}); a message is deleted only after every
 * object it names is committed to Kafka, so a crash at any point leaves the message to come back,
 * and then the committed checkpoints (same ETag) let it be deleted without publishing again. While
 * objects are being read, the visibility of the messages in hand is renewed every half visibility
 * timeout, so a large object is not handed to another ingester mid-way. A message that is not a
 * notification at all becomes one DLQ record ({@code source_type} sqs) and is deleted; so is a
 * message naming an object that no longer exists, once its {@code object-missing} dead letter
 * (source {@code s3://bucket/key}) is committed, since reading it again would never succeed.
 *
 * <p>CloudTrail digest files go to a {@link DigestReconciler} when one is given: it checks that
 * each log file a digest lists is ingested.
 *
 * <p>Run it with {@link #start()} (a thread of its own) or drive it with {@link #pollOnce()}.
 */
public final class S3NotificationSource implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(S3NotificationSource.class);
  private static final String COMPONENT = "ingest.s3-notifications";

  private final SqsClient sqs;
  private final S3ObjectIngester objects;
  private final UnitPublisher publisher;
  private final S3NotificationSettings settings;
  private final DigestReconciler digests;
  private final String queueName;
  private final Clock clock;
  private final Map<String, String> inHand = new ConcurrentHashMap<>();
  private final ScheduledExecutorService heartbeat;
  private volatile boolean running;
  private volatile String pollFailure;
  private Thread loop;

  public S3NotificationSource(
      SqsClient sqs,
      S3Client s3,
      LogDecoder decoder,
      UnitPublisher publisher,
      S3NotificationSettings settings) {
    this(sqs, s3, decoder, publisher, settings, null);
  }

  /**
   * A source that hands CloudTrail digest files to {@code digests} (null: digests are ignored), and
   * runs its reconciliation while it runs.
   */
  public S3NotificationSource(
      SqsClient sqs,
      S3Client s3,
      LogDecoder decoder,
      UnitPublisher publisher,
      S3NotificationSettings settings,
      DigestReconciler digests) {
    this(
        sqs,
        new S3ObjectIngester(s3, decoder, publisher, COMPONENT),
        publisher,
        settings,
        Clock.systemUTC(),
        digests);
  }

  S3NotificationSource(
      SqsClient sqs,
      S3ObjectIngester objects,
      UnitPublisher publisher,
      S3NotificationSettings settings,
      Clock clock) {
    this(sqs, objects, publisher, settings, clock, null);
  }

  S3NotificationSource(
      SqsClient sqs,
      S3ObjectIngester objects,
      UnitPublisher publisher,
      S3NotificationSettings settings,
      Clock clock,
      DigestReconciler digests) {
    this.digests = digests;
    this.sqs = sqs;
    this.objects = objects;
    this.publisher = publisher;
    this.settings = settings;
    this.clock = clock;
    String url = settings.queueUrl();
    this.queueName = url.substring(url.lastIndexOf('/') + 1);
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "vigil-sqs-visibility-" + queueName);
              thread.setDaemon(true);
              return thread;
            });
    long every = settings.visibilityTimeout().toMillis() / 2;
    heartbeat.scheduleAtFixedRate(this::renewVisibility, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Polls on a thread of its own until {@link #close}; errors are logged and retried with backoff.
   */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    running = true;
    loop =
        new Thread(
            () -> {
              Duration backoff = Duration.ofSeconds(1);
              while (running) {
                try {
                  pollOnce();
                  backoff = Duration.ofSeconds(1);
                } catch (AwsCallException e) {
                  if (!running) {
                    break;
                  }
                  // The message names service, endpoint, operation and queue; the trace adds
                  // nothing an operator can act on.
                  log.warn("{}; retrying in {}", e.getMessage(), backoff);
                  log.debug("ReceiveMessage failure", e);
                  sleep(backoff);
                  backoff = nextBackoff(backoff);
                } catch (RuntimeException e) {
                  if (!running) {
                    break;
                  }
                  log.warn("Polling {} failed; retrying in {}", queueName, backoff, e);
                  sleep(backoff);
                  backoff = nextBackoff(backoff);
                }
              }
            },
            "vigil-s3-notifications-" + queueName);
    loop.start();
    if (digests != null) {
      digests.start();
    }
    log.info(
        "Reading S3 notifications from {} (SQS endpoint {})",
        settings.queueUrl(),
        AwsCallException.endpointOf(sqs));
  }

  /**
   * Why the last poll of the queue failed ({@link AwsCallException}'s message), or empty when it
   * succeeded or none has run yet.
   */
  public Optional<String> pollFailure() {
    return Optional.ofNullable(pollFailure);
  }

  /**
   * One long poll and the handling of every message it returned.
   *
   * @return the number of messages received
   * @throws AwsCallException when ReceiveMessage fails (naming SQS, the endpoint and the queue)
   */
  public int pollOnce() {
    List<Message> messages;
    try {
      messages =
          sqs.receiveMessage(
                  ReceiveMessageRequest.builder()
                      .queueUrl(settings.queueUrl())
                      .maxNumberOfMessages(settings.maxMessages())
                      .waitTimeSeconds((int) settings.waitTime().toSeconds())
                      .visibilityTimeout((int) settings.visibilityTimeout().toSeconds())
                      .build())
              .messages();
    } catch (SdkException e) {
      AwsCallException failure =
          AwsCallException.of(
              AwsService.SQS, "ReceiveMessage", sqs, "queue " + settings.queueUrl(), e);
      pollFailure = failure.getMessage();
      throw failure;
    }
    pollFailure = null;
    messages.forEach(m -> inHand.put(m.messageId(), m.receiptHandle()));
    try {
      for (Message message : messages) {
        try {
          handle(message);
        } finally {
          inHand.remove(message.messageId());
        }
      }
    } finally {
      messages.forEach(m -> inHand.remove(m.messageId()));
    }
    return messages.size();
  }

  private void handle(Message message) {
    S3Notification notification;
    try {
      notification = S3Notification.parse(message.body());
    } catch (MalformedNotificationException e) {
      rejectMessage(message, e);
      return;
    }
    try {
      for (S3ObjectRef object : notification.objects()) {
        if (S3KeyFilter.isCloudTrailDigest(object.key())) {
          if (digests != null) {
            digests.arrived(object);
          }
          continue;
        }
        if (!S3KeyFilter.accepts(settings.filters(), object.key())) {
          log.debug("Ignoring {}: no log type filter matches", object.unitKey());
          continue;
        }
        S3ObjectIngester.Outcome outcome = objects.ingest(object);
        log.debug("{}: {}", object.unitKey(), outcome.status());
      }
    } catch (IOException | PublishException | SdkException e) {
      // Not deleted: the message comes back after its visibility timeout and is tried again,
      // and objects already committed are then skipped by their checkpoint.
      log.warn(
          "Message {} on {} not done; it will be redelivered", message.messageId(), queueName, e);
      return;
    }
    delete(message);
  }

  private void rejectMessage(Message message, MalformedNotificationException e) {
    byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
    String location = "sqs://" + queueName + "/" + message.messageId();
    Rejected rejected =
        DeadLetters.rejectedInput(
            e.reason(),
            e.getMessage(),
            SourceType.sqs,
            location,
            body,
            COMPONENT,
            Map.of("queue", queueName),
            clock.instant());
    try {
      publisher.publish(
          new Checkpoint(location, "rejected", 0, Map.of()), w -> w.rejected(rejected));
    } catch (PublishException pe) {
      log.warn(
          "Could not put malformed message {} on the DLQ; it will be redelivered",
          message.messageId(),
          pe);
      return;
    }
    log.warn(
        "Malformed message {} on {} sent to the DLQ: {}",
        message.messageId(),
        queueName,
        e.getMessage());
    delete(message);
  }

  private void delete(Message message) {
    try {
      sqs.deleteMessage(
          b -> b.queueUrl(settings.queueUrl()).receiptHandle(message.receiptHandle()));
    } catch (SdkException e) {
      // A stale receipt handle (the message was handed out again) or SQS unreachable: the message
      // comes back and its committed checkpoints let it be deleted then without publishing again.
      log.warn(
          "Could not delete message {} on {}; it will be redelivered and skipped: {}",
          message.messageId(),
          queueName,
          e.getMessage());
    }
  }

  private void renewVisibility() {
    Set<Map.Entry<String, String>> messages = Set.copyOf(inHand.entrySet());
    for (Map.Entry<String, String> message : messages) {
      try {
        sqs.changeMessageVisibility(
            b ->
                b.queueUrl(settings.queueUrl())
                    .receiptHandle(message.getValue())
                    .visibilityTimeout((int) settings.visibilityTimeout().toSeconds()));
      } catch (SdkException e) {
        // Done and deleted meanwhile, or SQS unreachable: at worst the message is redelivered.
        log.debug("Could not renew the visibility of {}", message.getKey(), e);
      }
    }
  }

  private static Duration nextBackoff(Duration backoff) {
    return backoff.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0
        ? Duration.ofMinutes(1)
        : backoff.multipliedBy(2);
  }

  /** Waits out a backoff, in short steps so that {@link #close} never waits for a whole one. */
  private void sleep(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    try {
      for (long left = duration.toMillis(); running && left > 0; ) {
        Thread.sleep(Math.min(left, 100));
        left = Duration.ofNanos(end - System.nanoTime()).toMillis();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops polling after the current messages; waits for the poll in flight (at most the long-poll
   * time) and a second, then interrupts the loop.
   */
  @Override
  public void close() {
    Thread stopping;
    synchronized (this) {
      running = false;
      stopping = loop;
      loop = null;
    }
    if (stopping != null) {
      try {
        stopping.join(settings.waitTime().plusSeconds(1).toMillis());
        if (stopping.isAlive()) {
          stopping.interrupt();
          stopping.join(5_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    heartbeat.shutdownNow();
    if (digests != null) {
      digests.close();
    }
  }
}
