package io.vigil.app.access;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * A person (or a script) the API knows: a name that the triage history records, a {@link Role}, and
 * the SHA-256 digest of their token. The token itself is never held.
 */
public final class User {

  /** Who every request is made as when no token is configured: the API is open to all. */
  public static final User ANONYMOUS = new User("anonymous", Role.ADMIN, new byte[0]);

  /** Who a request is made as that no guard has looked at: it may read, never change anything. */
  public static final User NOBODY = new User("nobody", Role.VIEWER, new byte[0]);

  private final String name;
  private final Role role;
  private final byte[] tokenDigest;

  /**
   * @param tokenDigest the SHA-256 digest of the user's token (32 bytes)
   */
  public User(String name, Role role, byte[] tokenDigest) {
    this.name = Objects.requireNonNull(name, "name");
    this.role = Objects.requireNonNull(role, "role");
    this.tokenDigest = tokenDigest.clone();
  }

  public String name() {
    return name;
  }

  public Role role() {
    return role;
  }

  /** Whether {@code digest} is this user's token digest, compared in constant time. */
  boolean hasTokenDigest(byte[] digest) {
    return tokenDigest.length > 0 && MessageDigest.isEqual(tokenDigest, digest);
  }

  /** Whether this user and {@code other} have the same token: one token must name one person. */
  boolean sharesTokenWith(User other) {
    return hasTokenDigest(other.tokenDigest);
  }

  // Never the digest: a user is printed in logs and in `vigil config show`.
  @Override
  public String toString() {
    return name + " (" + role.label() + ")";
  }
}
