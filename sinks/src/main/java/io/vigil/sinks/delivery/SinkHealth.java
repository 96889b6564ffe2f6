package io.vigil.sinks.delivery;

/**
 * What one sink says about itself.
 *
 * @param name the sink's configured name
 * @param state where its runner is
 * @param sent alerts delivered since start
 * @param failed alerts dead-lettered since start
 * @param detail the latest problem (scrubbed of secrets), or an empty string
 */
public record SinkHealth(String name, State state, long sent, long failed, String detail) {

  /** Life cycle of a sink runner. */
  public enum State {
    /** Joining the consumer group. */
    STARTING,
    /** Consuming and delivering. */
    RUNNING,
    /** Waiting to retry a failed delivery, upload or DLQ write. */
    RETRYING,
    /** Stopped after an error it cannot recover from; see the detail. */
    FAILED,
    /** Stopped on request. */
    STOPPED
  }

  /** Doing its job: running, or riding out a receiver's outage with retries. */
  public boolean ready() {
    return state == State.RUNNING || state == State.RETRYING;
  }

  /** Not in a terminal failure. */
  public boolean alive() {
    return state != State.FAILED;
  }
}
