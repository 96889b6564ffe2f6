package io.vigil.app.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The people of {@code http.users} (and {@code http.token}, an admin named {@value #TOKEN_USER}):
 * who a token belongs to. Empty means no token is asked for.
 */
public final class Users {

  /** The name under which a request with {@code http.token} is made (and recorded). */
  public static final String TOKEN_USER = "http.token";

  private static final Users NONE = new Users(List.of(), List.of());

  private final List<User> users;
  // Users whose token names an environment variable this process does not have: a command that
  // serves no HTTP (vigil demo in another terminal) need not have it; vigil run must.
  private final List<String> unresolved;

  private Users(List<User> users, List<String> unresolved) {
    this.users = List.copyOf(users);
    this.unresolved = List.copyOf(unresolved);
  }

  public static Users none() {
    return NONE;
  }

  /**
   * @throws IllegalArgumentException when two users share a name or a token
   */
  public static Users of(List<User> users) {
    return of(users, List.of());
  }

  /**
   * These users, and the problems of those left out because their token's environment variable is
   * not set (reported by {@link #requireResolved}).
   *
   * @throws IllegalArgumentException when two users share a name or a token
   */
  public static Users of(List<User> users, List<String> unresolved) {
    for (int i = 0; i < users.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (users.get(i).name().equals(users.get(j).name())) {
          throw new IllegalArgumentException(
              "two users are named '" + users.get(i).name() + "': a name must say who acted");
        }
        if (users.get(i).sharesTokenWith(users.get(j))) {
          throw new IllegalArgumentException(
              "users '"
                  + users.get(j).name()
                  + "' and '"
                  + users.get(i).name()
                  + "' have the same token: a token must say who acted");
        }
      }
    }
    return new Users(users, unresolved);
  }

  /**
   * These users, when every one's token could be read.
   *
   * @throws IllegalArgumentException naming each user whose token's variable is not set
   */
  public Users requireResolved() {
    if (!unresolved.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", unresolved));
    }
    return this;
  }

  /** Whether users are configured at all (resolved or not): then no request is anonymous. */
  public boolean configured() {
    return !users.isEmpty() || !unresolved.isEmpty();
  }

  /** These users and {@code user} (e.g. the admin of {@code http.token}). */
  public Users plus(User user) {
    List<User> all = new ArrayList<>(users);
    all.add(user);
    return of(all, unresolved);
  }

  public boolean isEmpty() {
    return users.isEmpty();
  }

  public List<User> all() {
    return users;
  }

  /**
   * The user whose token {@code presented} is. Every user's digest is compared, in constant time,
   * so the time taken says nothing about which one matched or how closely.
   */
  public Optional<User> withToken(String presented) {
    if (presented == null) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    User found = null;
    for (User user : users) {
      if (user.hasTokenDigest(digest) && found == null) {
        found = user;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The SHA-256 digest of a token's UTF-8 bytes, as {@code token_sha256} holds it in hex. */
  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
