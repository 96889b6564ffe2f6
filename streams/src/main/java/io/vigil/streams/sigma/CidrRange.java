package io.vigil.streams.sigma;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 network for the {@code cidr} modifier, compared as a network: an address
 * matches when its first prefix-length bits equal the network's. {@code 0.0.0.0/0} holds every
 * IPv4 address and {@code ::/0} every IPv6 address; an IPv4-mapped IPv6 address
 * ({@code ::ffff:192.0.2.1}) is compared as the IPv4 address it carries.
 *
 * <p>Addresses are parsed here as literals only: {@code InetAddress.getByName} would look up
 * any text that is not a literal (CloudTrail's {@code sourceIPAddress} is often a service name)
 * in DNS.
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

  @Override
  public String toString() {
    return text;
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
