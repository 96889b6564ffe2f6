package io.vigil.streams.posture;

import io.vigil.sigma.match.CidrRange;
import java.util.Locale;
import java.util.Optional;

/**
 * One ingress permission of a security group for one source, normalised so that the same rule
 * authorised in one request shape and revoked in another has the same {@link #key()}: protocol
 * names instead of numbers, {@code *} for all ports, sources as canonical networks.
 *
 * @param protocol tcp, udp, icmp, icmpv6, all, or the protocol number CloudTrail gave
 * @param ports {@code 22}, {@code 1024-65535}, or {@code *} for every port (and for ICMP, every
 *     type)
 * @param source a canonical CIDR, {@code sg-...} or {@code pl-...}
 */
record IngressRule(String protocol, String ports, String source) {

  static Optional<IngressRule> of(String protocol, Integer from, Integer to, String source) {
    if (source == null || source.isBlank()) {
      return Optional.empty();
    }
    String normalisedSource = source.trim();
    if (!normalisedSource.startsWith("sg-") && !normalisedSource.startsWith("pl-")) {
      Optional<CidrRange> cidr = CidrRange.tryParse(normalisedSource);
      if (cidr.isEmpty()) {
        return Optional.empty();
      }
      normalisedSource = cidr.get().canonical();
    }
    String proto = protocol(protocol);
    return Optional.of(new IngressRule(proto, ports(proto, from, to), normalisedSource));
  }

  static Optional<IngressRule> fromKey(String key) {
    String[] parts = key.split("\\|", 3);
    return parts.length == 3
        ? Optional.of(new IngressRule(parts[0], parts[1], parts[2]))
        : Optional.empty();
  }

  String key() {
    return protocol + "|" + ports + "|" + source;
  }

  /** True when the source is the whole IPv4 or IPv6 space (any CIDR of prefix length 0). */
  boolean openToWorld() {
    return CidrRange.tryParse(source).map(CidrRange::wholeSpace).orElse(false);
  }

  /** {@code tcp/22}, {@code udp/*}, or {@code all}: what the rule exposes. */
  String portsLabel() {
    return protocol.equals("all") ? "all" : protocol + "/" + ports;
  }

  private static String protocol(String raw) {
    String value = raw == null ? "all" : raw.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "-1", "all", "" -> "all";
      case "6" -> "tcp";
      case "17" -> "udp";
      case "1" -> "icmp";
      case "58" -> "icmpv6";
      default -> value;
    };
  }

  private static String ports(String protocol, Integer from, Integer to) {
    if (protocol.equals("all")) {
      return "*";
    }
    int low = from == null ? -1 : from;
    int high = to == null || to < low ? low : to;
    // -1 (ICMP: every type) and the full TCP/UDP range both mean "everything" for this protocol.
    if (low < 0 || (low == 0 && high >= 65535)) {
      return "*";
    }
    return low == high ? Integer.toString(low) : low + "-" + high;
  }
}
