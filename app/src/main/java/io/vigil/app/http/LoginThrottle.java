package io.vigil.app.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Slows down guessing of {@code http.token}, per client address. After {@link #MAX_FAILURES} wrong
 * tokens from one address, that address may not try again for 30 s, and each further failure
 * doubles the wait up to 15 min; failures are forgotten after an hour without one, and a right
 * token clears them. An IPv6 client counts by its /64 network, which one attacker usually holds
 * whole. The table holds at most {@code maxAddresses}, the one heard from longest ago dropped
 * first, so an attacker with many addresses costs bounded memory (and gains what those addresses
 * gave anyway: a few guesses each).
 *
 * <p>The address is the connection's peer: behind a proxy every client shares the proxy's, so one
 * guesser holds up every sign-in through it (signed-in browsers are not affected). Forwarded
 * headers are not trusted for this: any client can write them.
 */
final class LoginThrottle {

  static final int MAX_FAILURES = 5;
  static final Duration FIRST_WAIT = Duration.ofSeconds(30);
  static final Duration MAX_WAIT = Duration.ofMinutes(15);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  static final int MAX_ADDRESSES = 10_000;

  private static final class Failures {
    int count;
    long last;
    long blockedUntil;
  }

  private final LongSupplier nanoClock;
  private final Map<String, Failures> byClient;

  LoginThrottle() {
    this(System::nanoTime, MAX_ADDRESSES);
  }

  LoginThrottle(LongSupplier nanoClock, int maxAddresses) {
    this.nanoClock = nanoClock;
    // In order of last access, so the eldest entry is the one heard from longest ago.
    this.byClient =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > maxAddresses;
          }
        };
  }

  /** How long {@code client} must wait before it may present a token again; empty if not at all. */
  synchronized Optional<Duration> wait(InetAddress client) {
    Failures failures = byClient.get(key(client));
    long now = nanoClock.getAsLong();
    if (failures == null || failures.blockedUntil - now <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(failures.blockedUntil - now));
  }

  /** Counts a wrong token from {@code client}. */
  synchronized void failed(InetAddress client) {
    long now = nanoClock.getAsLong();
    String key = key(client);
    Failures failures = byClient.get(key);
    if (failures == null || now - failures.last >= FORGET_AFTER.toNanos()) {
      failures = new Failures();
    }
    failures.count++;
    failures.last = now;
    if (failures.count >= MAX_FAILURES) {
      int doublings = Math.min(failures.count - MAX_FAILURES, 16);
      long wait = Math.min(FIRST_WAIT.toNanos() << doublings, MAX_WAIT.toNanos());
      failures.blockedUntil = now + wait;
    }
    byClient.put(key, failures);
  }

  /** Clears the failures of {@code client}: it presented the right token. */
  synchronized void succeeded(InetAddress client) {
    byClient.remove(key(client));
  }

  /** How many clients have failures on record. */
  synchronized int size() {
    return byClient.size();
  }

  /** The address, or for IPv6 its /64 network, as the table counts it. */
  static String key(InetAddress client) {
    if (!(client instanceof Inet6Address)) {
      return client.getHostAddress();
    }
    byte[] network = client.getAddress();
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      key.append(Integer.toHexString(((network[i] & 0xff) << 8) | (network[i + 1] & 0xff)));
      key.append(':');
    }
    return key.append(":/64").toString();
  }
}
