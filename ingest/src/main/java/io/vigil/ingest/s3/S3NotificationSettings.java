package io.vigil.ingest.s3;

import java.time.Duration;
import java.util.List;

/**
 * How {@link S3NotificationSource} reads its queue.
 *
 * @param queueUrl the SQS queue S3 (directly, or through SNS/EventBridge) notifies
 * @param filters which keys to ingest, by log type; empty: every key (digests excepted)
 * @param waitTime the long-poll wait, at most 20 s
 * @param maxMessages messages per receive, 1 to 10
 * @param visibilityTimeout how long a received message stays hidden; renewed while its objects are
 *     still being read, every half of it
 */
public record S3NotificationSettings(
    String queueUrl,
    List<S3KeyFilter> filters,
    Duration waitTime,
    int maxMessages,
    Duration visibilityTimeout) {

  public S3NotificationSettings {
    filters = List.copyOf(filters);
    if (waitTime.isNegative() || waitTime.toSeconds() > 20) {
      throw new IllegalArgumentException("SQS wait time must be 0 to 20 s, got " + waitTime);
    }
    if (maxMessages < 1 || maxMessages > 10) {
      throw new IllegalArgumentException("SQS max messages must be 1 to 10, got " + maxMessages);
    }
    if (visibilityTimeout.toSeconds() < 2) {
      throw new IllegalArgumentException(
          "visibility timeout must be at least 2 s, got " + visibilityTimeout);
    }
  }

  /**
   * Long polls of 5 s, 10 messages at a time, hidden for 5 minutes (renewed while reading). A poll
   * returns as soon as a message is there, so a shorter wait costs no latency, only a few more
   * empty receives when idle; it bounds how long a stop waits for the poll in flight (the SDK's
   * blocking call cannot be aborted), well inside the default {@code shutdown.timeout} of 10 s.
   */
  public static S3NotificationSettings forQueue(String queueUrl, List<S3KeyFilter> filters) {
    return new S3NotificationSettings(
        queueUrl, filters, Duration.ofSeconds(5), 10, Duration.ofMinutes(5));
  }

  public S3NotificationSettings withWaitTime(Duration newWaitTime) {
    return new S3NotificationSettings(
        queueUrl, filters, newWaitTime, maxMessages, visibilityTimeout);
  }

  public S3NotificationSettings withVisibilityTimeout(Duration newTimeout) {
    return new S3NotificationSettings(queueUrl, filters, waitTime, maxMessages, newTimeout);
  }
}
