package io.vigil.app.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a person signed in to the API or the console may do: a {@code viewer} reads; an {@code
 * analyst} also triages (alert states, assignees, notes); an {@code admin} may do everything.
 */
public enum Role {
  VIEWER,
  ANALYST,
  ADMIN;

  /**
   * The role as configuration and the API write it: {@code viewer}, {@code analyst}, {@code admin}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this role includes everything {@code other} may do. */
  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }

  /** The role labelled {@code label}, if there is one. */
  public static Optional<Role> parse(String label) {
    return Arrays.stream(values()).filter(r -> r.label().equals(label)).findFirst();
  }

  /** The labels, for error messages. */
  public static String labels() {
    return String.join(", ", Arrays.stream(values()).map(Role::label).toList());
  }
}
