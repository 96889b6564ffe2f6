package io.vigil.app.http;

import io.vigil.app.access.User;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.schemas.Durations;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The console's sign-ins, held in this process's memory: each is a random id (256 bits from {@link
 * SecureRandom}) that only the browser's cookie holds, with an absolute expiry ({@code
 * http.session.ttl}) and an idle one ({@code http.session.idle}), ended at once by {@link #revoke}.
 * The map is keyed by the SHA-256 digest of the id, so neither its contents nor the timing of a
 * lookup say anything about a live id. At most {@code http.session.max} are held, the oldest ended
 * first. Each holds who signed in. Nothing is written anywhere: a restart, and so a change of
 * {@code http.token} or {@code http.users}, signs everyone out, and a sign-in is valid only on the
 * instance that made it.
 */
public final class Sessions {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int ID_BYTES = 32;
  // A longer cookie value is not one of ours: not worth hashing.
  private static final int MAX_ID_CHARS = 64;

  /** How long a sign-in lasts, and how many are held. */
  public record Settings(Duration ttl, Duration idle, int max) {

    /** The defaults of {@code http.session.*}. */
    public static final Settings DEFAULTS =
        new Settings(Duration.ofHours(12), Duration.ofHours(1), 1000);

    /**
     * @throws IllegalArgumentException naming the key of a value out of range
     */
    public Settings {
      if (ttl.isZero() || ttl.isNegative()) {
        throw new IllegalArgumentException(
            "http.session.ttl: expected a duration above 0, got " + Durations.format(ttl));
      }
      if (idle.isZero() || idle.isNegative()) {
        throw new IllegalArgumentException(
            "http.session.idle: expected a duration above 0, got " + Durations.format(idle));
      }
      if (max < 1) {
        throw new IllegalArgumentException("http.session.max: expected at least 1, got " + max);
      }
    }

    /**
     * @throws IllegalArgumentException naming the key of a value out of range
     */
    public static Settings from(VigilConfig config) {
      return new Settings(
          config.get(ConfigKeys.HTTP_SESSION_TTL),
          config.get(ConfigKeys.HTTP_SESSION_IDLE),
          config.get(ConfigKeys.HTTP_SESSION_MAX));
    }
  }

  private static final class Session {
    final long created;
    final User user;
    long lastUsed;

    Session(long now, User user) {
      created = now;
      lastUsed = now;
      this.user = user;
    }
  }

  private final long ttlNanos;
  private final long idleNanos;
  private final int max;
  private final LongSupplier nanoClock;
  // In order of creation, so the eldest entry is the oldest sign-in.
  private final Map<String, Session> byDigest = new LinkedHashMap<>();

  Sessions(Settings settings) {
    this(settings, System::nanoTime);
  }

  Sessions(Settings settings, LongSupplier nanoClock) {
    this.ttlNanos = settings.ttl().toNanos();
    this.idleNanos = settings.idle().toNanos();
    this.max = settings.max();
    this.nanoClock = nanoClock;
  }

  /**
   * Starts a sign-in of {@code user} and returns its id, ending the oldest one when {@code max} are
   * held.
   */
  synchronized String open(User user) {
    long now = nanoClock.getAsLong();
    byDigest.values().removeIf(s -> expired(s, now));
    Iterator<String> oldest = byDigest.keySet().iterator();
    while (byDigest.size() >= max) {
      oldest.next();
      oldest.remove();
    }
    byte[] bytes = new byte[ID_BYTES];
    RANDOM.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    byDigest.put(digest(id), new Session(now, user));
    return id;
  }

  /**
   * Who signed in as {@code id}, if it is a live sign-in; if so, it counts as used now (the idle
   * expiry restarts).
   */
  synchronized Optional<User> use(String id) {
    if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
      return Optional.empty();
    }
    String key = digest(id);
    Session session = byDigest.get(key);
    if (session == null) {
      return Optional.empty();
    }
    long now = nanoClock.getAsLong();
    if (expired(session, now)) {
      byDigest.remove(key);
      return Optional.empty();
    }
    session.lastUsed = now;
    return Optional.of(session.user);
  }

  /** Ends the sign-in {@code id}, if it is one. */
  synchronized void revoke(String id) {
    if (!id.isEmpty() && id.length() <= MAX_ID_CHARS) {
      byDigest.remove(digest(id));
    }
  }

  /** How many sign-ins are held (some possibly expired but not yet dropped). */
  synchronized int size() {
    return byDigest.size();
  }

  private boolean expired(Session session, long now) {
    return now - session.created >= ttlNanos || now - session.lastUsed >= idleNanos;
  }

  private static String digest(String id) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
