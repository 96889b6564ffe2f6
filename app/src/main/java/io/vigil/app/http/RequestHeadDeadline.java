package io.vigil.app.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Closes a connection that has not sent a whole request head (request line and headers) within
 * {@code http.request.timeout} of opening, or of the end of its previous response. Jetty's idle
 * timeout restarts at every byte, so without this a client sending one byte every few seconds would
 * hold its connection for ever (slowloris); while a request is being served the deadline does not
 * run, so a long alert stream is never cut.
 */
final class RequestHeadDeadline extends AbstractLifeCycle implements Connection.Listener {

  private static final long BUSY = Long.MIN_VALUE;

  private final long timeoutNanos;
  // Per open connection: since when it has been waiting for a request head, or BUSY.
  private final Map<Connection, Long> waiting = new ConcurrentHashMap<>();
  private ScheduledExecutorService sweeper;

  RequestHeadDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  protected void doStart() {
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-http-deadline");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(50, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4);
    sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    sweeper.shutdownNow();
  }

  @Override
  public void onOpened(Connection connection) {
    waiting.put(connection, System.nanoTime());
  }

  @Override
  public void onClosed(Connection connection) {
    waiting.remove(connection);
  }

  void busy(Connection connection) {
    waiting.replace(connection, BUSY);
  }

  void idle(Connection connection) {
    waiting.replace(connection, System.nanoTime());
  }

  private void sweep() {
    long now = System.nanoTime();
    waiting.forEach(
        (connection, since) -> {
          if (since != BUSY && now - since > timeoutNanos) {
            connection.getEndPoint().close();
          }
        });
  }
}
