package io.vigil.deploy.demo;

import java.util.random.RandomGenerator;

/**
 * An IPv4 range a demo scenario draws a fresh address from on every run ({@code addresses:} in
 * the scenario file), so that a second run is a new attacker rather than more of the first one.
 */
record AddressRange(long base, int prefix) {

  /** Parses {@code a.b.c.d/len} with a length of 0 to 30 (a range with at least two hosts). */
  static AddressRange parse(String cidr) {
    String[] parts = cidr.trim().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected an IPv4 CIDR such as 203.0.113.0/25, got '" + cidr + "'");
    }
    String[] octets = parts[0].split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("expected an IPv4 CIDR such as 203.0.113.0/25, got '" + cidr + "'");
    }
    long address = 0;
    int prefix;
    try {
      for (String octet : octets) {
        int value = Integer.parseInt(octet);
        if (value < 0 || value > 255) {
          throw new NumberFormatException(octet);
        }
        address = (address << 8) | value;
      }
      prefix = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an IPv4 CIDR such as 203.0.113.0/25, got '" + cidr + "'");
    }
    if (prefix < 0 || prefix > 30) {
      throw new IllegalArgumentException("the prefix length of '" + cidr + "' must be 0 to 30");
    }
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    return new AddressRange(address & mask, prefix);
  }

  /** A host address of the range, never its network or broadcast address. */
  String pick(RandomGenerator random) {
    long hosts = 1L << (32 - prefix);
    long address = base + 1 + random.nextLong(hosts - 2);
    return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "." + (address & 0xFF);
  }
}
