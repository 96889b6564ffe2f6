package io.vigil.app.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The scenarios bundled in the jar ({@code demo/<name>.yml}), in the order {@code vigil demo} plays
 * them: attacks first, then the routine activity that must raise nothing.
 */
public final class Scenarios {

  /** Every bundled scenario's name; a new scenario file is added here too. */
  public static final List<String> NAMES =
      List.of(
          "root-account-use",
          "cloudtrail-stopped",
          "console-login-without-mfa",
          "console-brute-force",
          "security-group-opened",
          "bucket-made-public",
          "phi-bucket-access",
          "port-scan",
          "data-exfiltration",
          "routine-activity");

  private Scenarios() {}

  /** Every bundled scenario, in {@link #NAMES} order. */
  public static List<Scenario> all() {
    return NAMES.stream().map(Scenarios::load).toList();
  }

  /**
   * A bundled scenario by name.
   *
   * @throws IllegalArgumentException for a name that is not one of {@link #NAMES}
   */
  public static Scenario load(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "unknown scenario '" + name + "'; known: " + String.join(", ", NAMES));
    }
    String resource = "demo/" + name + ".yml";
    try (InputStream in = Scenarios.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "bundled scenario " + resource + " is missing from the jar");
      }
      return Scenario.read(name, in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read bundled scenario " + resource + ": " + e.getMessage(), e);
    }
  }
}
