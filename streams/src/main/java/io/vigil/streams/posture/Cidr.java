package io.vigil.streams.posture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in canonical form (host bits cleared, shortest address text), so that
 * two CIDRs that denote the same network compare equal whatever their spelling:
 * {@code 1.2.3.4/0}, {@code 0.0.0.0/00} and {@code 0.0.0.0/0} are one network, as are
 * {@code ::/0} and {@code 0:0:0:0:0:0:0:0/0}.
 */
record Cidr(byte[] network, int prefix) {

  // Only literals reach InetAddress: anything else would trigger a DNS lookup.
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  static Optional<Cidr> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    boolean v4 = IPV4.matcher(address).matches();
    if (!v4 && !IPV6.matcher(address).matches()) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    // An IPv4-mapped IPv6 literal comes back as 4 bytes; keep the family the text was written in.
    if (!v4 && bytes.length == 4) {
      return Optional.empty();
    }
    int bits = bytes.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (prefix < 0 || prefix > bits) {
      return Optional.empty();
    }
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      bytes[i] &= (byte) (0xFF << (8 - keep));
    }
    return Optional.of(new Cidr(bytes, prefix));
  }

  /** True when the network covers the whole IPv4 or IPv6 space: the internet. */
  boolean wholeSpace() {
    return prefix == 0;
  }

  @Override
  public String toString() {
    try {
      String address = InetAddress.getByAddress(network).getHostAddress();
      if (network.length == 16) {
        address = compressIpv6(network);
      }
      return address + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that && prefix == that.prefix
        && java.util.Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefix;
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
}
