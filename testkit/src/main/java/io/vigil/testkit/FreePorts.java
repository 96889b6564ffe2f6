package io.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Local ports free at the moment of asking, for servers and emulators that must be told their port
 * before they start. Each is checked on every address (a wildcard bind), so it is also free on
 * loopback.
 */
public final class FreePorts {

  private FreePorts() {}

  /** One free port. */
  public static int one() {
    return distinct(1)[0];
  }

  /**
   * {@code count} different free ports. Every socket is held until all are picked: a port just
   * closed is one the kernel may hand out again at once, and two servers told the same port fail.
   */
  public static int[] distinct(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        closeQuietly(socket);
      }
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      // the port is only looked at, never served: a failed close loses nothing
    }
  }
}
