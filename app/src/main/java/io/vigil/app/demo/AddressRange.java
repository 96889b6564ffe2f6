package io.vigil.app.demo;

import io.vigil.sigma.match.CidrRange;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * An IPv4 range a demo scenario draws a fresh address from on every run ({@code addresses:} in the
 * scenario file), so that a second run is a new attacker rather than more of the first one.
 */
record AddressRange(long base, int prefix) {

  /** Parses {@code a.b.c.d/len} with a length of 0 to 30 (a range with at least two hosts). */
  static AddressRange parse(String cidr) {
    String text = cidr.trim();
    int slash = text.indexOf('/');
    // The address through the one CIDR type; the length rule is the demo's own (two hosts at
    // least).
    Optional<CidrRange> address =
        slash < 0
            ? Optional.empty()
            : CidrRange.tryParse(text.substring(0, slash)).filter(CidrRange::ipv4);
    if (address.isEmpty()) {
      throw new IllegalArgumentException(
          "expected an IPv4 CIDR such as 203.0.113.0/25, got '" + cidr + "'");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected an IPv4 CIDR such as 203.0.113.0/25, got '" + cidr + "'");
    }
    if (prefix < 0 || prefix > 30) {
      throw new IllegalArgumentException("the prefix length of '" + cidr + "' must be 0 to 30");
    }
    long base = 0;
    for (byte b : CidrRange.parse(text.substring(0, slash) + "/" + prefix).networkAddress()) {
      base = (base << 8) | (b & 0xFF);
    }
    return new AddressRange(base, prefix);
  }

  /** A host address of the range, never its network or broadcast address. */
  String pick(RandomGenerator random) {
    long hosts = 1L << (32 - prefix);
    long address = base + 1 + random.nextLong(hosts - 2);
    return ((address >> 24) & 0xFF)
        + "."
        + ((address >> 16) & 0xFF)
        + "."
        + ((address >> 8) & 0xFF)
        + "."
        + (address & 0xFF);
  }
}
