package io.vigil.sinks.http;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces the messages to one Slack webhook at least {@code interval} apart (Slack allows about one
 * message per second per incoming webhook and answers 429 beyond that). Time and sleep are injected
 * so that tests run on a fake clock.
 */
final class SlackPacer {

  /** Sleeps; {@link Thread#sleep} in production. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long lastSent;
  private boolean sentAny;

  SlackPacer(Duration interval, LongSupplier nanoTime, Sleeper sleeper) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Waits until the next message may go out. */
  void awaitSlot() throws InterruptedException {
    if (sentAny) {
      long wait = lastSent + intervalNanos - nanoTime.getAsLong();
      if (wait > 0) {
        sleeper.sleep(Duration.ofNanos(wait));
      }
    }
  }

  /** Records that a message went out now. */
  void sent() {
    lastSent = nanoTime.getAsLong();
    sentAny = true;
  }
}
