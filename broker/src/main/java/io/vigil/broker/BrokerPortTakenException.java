package io.vigil.broker;

import java.net.BindException;
import java.util.Optional;

/**
 * The embedded broker could not listen because another process holds its address: said in those
 * words, instead of Kafka's "fatal error while waiting for all of the SocketServer Acceptors to be
 * started".
 */
public final class BrokerPortTakenException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  // Kafka's words: "Socket server failed to bind to 127.0.0.1:9092: Address already in use."
  private static final String BIND_FAILED = "failed to bind to ";

  private final String address;
  private final int port;

  BrokerPortTakenException(String address, int port, Throwable cause) {
    super(
        "the embedded broker cannot listen on "
            + address
            + ": another process holds that port (another vigil run, or a Kafka broker, on this"
            + " machine?)",
        cause);
    this.address = address;
    this.port = port;
  }

  /** {@code host:port}, as Kafka named it, or {@code port N} when it did not. */
  public String address() {
    return address;
  }

  /** The port that is taken, or -1 when Kafka's message did not say. */
  public int port() {
    return port;
  }

  /** The exception for {@code failure}, if a bind of a listener was what failed. */
  static Optional<BrokerPortTakenException> from(Throwable failure) {
    boolean bind = false;
    String address = null;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      bind |= cause instanceof BindException;
      String message = cause.getMessage();
      int at = message == null ? -1 : message.indexOf(BIND_FAILED);
      if (at >= 0 && address == null) {
        String rest = message.substring(at + BIND_FAILED.length());
        int end = rest.indexOf(": ");
        address = end < 0 ? rest : rest.substring(0, end);
      }
    }
    if (!bind) {
      return Optional.empty();
    }
    int port = -1;
    if (address != null) {
      try {
        port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      } catch (NumberFormatException e) {
        // a message in another shape: the address is still worth showing
      }
    }
    return Optional.of(
        new BrokerPortTakenException(address == null ? "its port" : address, port, failure));
  }
}
