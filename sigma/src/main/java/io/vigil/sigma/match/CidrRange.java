package io.vigil.sigma.match;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network: Vigil's one reading of CIDR text, for the {@code cidr} modifier, the
 * posture of security groups (is a source the whole internet) and every other place a network is
 * written. An address matches when its first prefix-length bits equal the network's. {@code
 * 0.0.0.0/0} holds every IPv4 address and {@code ::/0} every IPv6 address; an IPv4-mapped IPv6
 * address ({@code ::ffff:192.0.2.1}) is compared as the IPv4 address it carries.
 *
 * <p>Two ranges that denote the same network are equal whatever their spelling ({@code 1.2.3.4/0},
 * {@code 0.0.0.0/00} and {@code 0.0.0.0/0} are one network, as are {@code ::/0} and {@code
 * 0:0:0:0:0:0:0:0/0}); {@link #canonical()} is that network's one spelling, {@link #toString()} the
 * text as written.
 *
 * <p>Addresses are parsed here as literals only: {@code InetAddress.getByName} would look up any
 * text that is not a literal (CloudTrail's {@code sourceIPAddress} is often a service name) in DNS.
 */
public final class CidrRange {

  private final byte[] network;
  private final int prefix;
  private final String text;

  private CidrRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code address/prefix} (a bare address is a single-host network).
   *
   * @throws IllegalArgumentException when the text is not a network
   */
  public static CidrRange parse(String cidr) {
    String trimmed = cidr.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = parseAddress(address);
    if (bytes == null) {
      throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 or IPv6 network");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      String bits = trimmed.substring(slash + 1);
      if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
      }
      prefix = Integer.parseInt(bits);
      if (prefix > bytes.length * 8) {
        throw new IllegalArgumentException("'" + cidr + "' has a prefix longer than the address");
      }
    }
    return new CidrRange(mask(bytes, prefix), prefix, trimmed);
  }

  /**
   * As {@link #parse(String)}, for text that may be no network at all (a value read from an event):
   * empty when {@code cidr} is null or not a network.
   */
  public static Optional<CidrRange> tryParse(String cidr) {
    if (cidr == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(cidr));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The prefix length: how many leading bits every address of the network shares. */
  public int prefixLength() {
    return prefix;
  }

  /** True for an IPv4 network, false for an IPv6 one. */
  public boolean ipv4() {
    return network.length == 4;
  }

  /** The network address (host bits cleared): 4 bytes for IPv4, 16 for IPv6. */
  public byte[] networkAddress() {
    return network.clone();
  }

  /** True when the network covers the whole IPv4 or IPv6 space (prefix length 0): the internet. */
  public boolean wholeSpace() {
    return prefix == 0;
  }

  /**
   * The network's one spelling: host bits cleared, dotted decimal for IPv4, RFC 5952 text for IPv6
   * (lower case, the longest run of two or more zero groups as {@code ::}), and the prefix length
   * in decimal ({@code 10.0.0.0/8}, {@code 2001:db8::/64}).
   */
  public String canonical() {
    String address =
        network.length == 4
            ? (network[0] & 0xFF)
                + "."
                + (network[1] & 0xFF)
                + "."
                + (network[2] & 0xFF)
                + "."
                + (network[3] & 0xFF)
            : compressIpv6(network);
    return address + "/" + prefix;
  }

  /** True when {@code address} is an IP literal inside this network. */
  public boolean contains(String address) {
    byte[] bytes = parseAddress(address);
    if (bytes == null) {
      return false;
    }
    if (bytes.length == 16 && network.length == 4 && isIpv4Mapped(bytes)) {
      bytes = Arrays.copyOfRange(bytes, 12, 16);
    }
    if (bytes.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(bytes, prefix), network);
  }

  /** The text as written (stripped), e.g. in a rule. */
  @Override
  public String toString() {
    return text;
  }

  /** Equal when both denote the same network, however each was written. */
  @Override
  public boolean equals(Object other) {
    return other instanceof CidrRange that
        && prefix == that.prefix
        && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  /** RFC 5952 text: the longest run of two or more zero groups becomes {@code ::}. */
  private static String compressIpv6(byte[] bytes) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      masked[i] = (byte) (masked[i] & (0xff << (8 - keep)));
    }
    return masked;
  }

  /** An IPv4 (4 bytes) or IPv6 (16 bytes) literal, or null when the text is neither. */
  static byte[] parseAddress(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) {
      return null;
    }
    String address = text;
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    int zone = address.indexOf('%');
    if (zone >= 0) {
      address = address.substring(0, zone);
    }
    return address.indexOf(':') >= 0 ? parseIpv6(address) : parseIpv4(address);
  }

  private static byte[] parseIpv4(String text) {
    byte[] bytes = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        bytes[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? bytes : null;
  }

  private static byte[] parseIpv6(String text) {
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      return null;
    }
    String head = doubleColon < 0 ? text : text.substring(0, doubleColon);
    String tail = doubleColon < 0 ? "" : text.substring(doubleColon + 2);
    byte[] headBytes = groups(head);
    byte[] tailBytes = groups(tail);
    if (headBytes == null || tailBytes == null) {
      return null;
    }
    int total = headBytes.length + tailBytes.length;
    if (doubleColon < 0 ? total != 16 : total > 14) {
      return null;
    }
    byte[] bytes = new byte[16];
    System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
    System.arraycopy(tailBytes, 0, bytes, 16 - tailBytes.length, tailBytes.length);
    return bytes;
  }

  /** Colon-separated hex groups, the last of which may be an embedded IPv4 address. */
  private static byte[] groups(String text) {
    if (text.isEmpty()) {
      return new byte[0];
    }
    String[] groups = text.split(":", -1);
    byte[] out = new byte[groups.length * 2 + 2];
    int length = 0;
    for (int i = 0; i < groups.length; i++) {
      String group = groups[i];
      if (i == groups.length - 1 && group.indexOf('.') >= 0) {
        byte[] ipv4 = parseIpv4(group);
        if (ipv4 == null) {
          return null;
        }
        System.arraycopy(ipv4, 0, out, length, 4);
        length += 4;
        continue;
      }
      if (group.isEmpty() || group.length() > 4) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < group.length(); j++) {
        int digit = Character.digit(group.charAt(j), 16);
        if (digit < 0) {
          return null;
        }
        value = value * 16 + digit;
      }
      out[length++] = (byte) (value >> 8);
      out[length++] = (byte) value;
    }
    return Arrays.copyOf(out, length);
  }
}
