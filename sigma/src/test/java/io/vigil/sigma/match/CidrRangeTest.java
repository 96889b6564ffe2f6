package io.vigil.sigma.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrRangeTest {

  @Test
  void cidrRangeParsesAndComparesNetworks() {
    assertThat(CidrRange.parse("0.0.0.0/0").contains("255.255.255.255")).isTrue();
    assertThat(CidrRange.parse("10.1.2.3/8").contains("10.200.0.1")).isTrue();
    assertThat(CidrRange.parse("172.16.0.0/12").contains("172.32.0.1")).isFalse();
    assertThat(CidrRange.parse("192.0.2.0/24").contains("::ffff:192.0.2.9")).isTrue();
    assertThat(CidrRange.parse("fc00::/7").contains("fd12:3456::1")).isTrue();
    assertThat(CidrRange.parse("fe80::/10").contains("fe80::1%eth0")).isTrue();
    assertThat(CidrRange.parse("::1").contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(CidrRange.parse("::/0").contains("1.2.3.4")).isFalse();
    assertThat(CidrRange.parse("192.0.2.0/24").contains("192.0.2.256")).isFalse();
    assertThat(CidrRange.parse("192.0.2.0/24").contains("AWS Internal")).isFalse();
    for (String bad : List.of("300.0.0.0/8", "10.0.0.0/33", "::/129", "1:2:3", "x/1", "1.2.3/8")) {
      assertThatThrownBy(() -> CidrRange.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  // The cases below were posture's own CIDR type's (streams' CidrTest), now this one's.

  @Test
  void sameNetworkSpelledDifferentlyIsEqual() {
    assertThat(CidrRange.tryParse("1.2.3.4/0")).isEqualTo(CidrRange.tryParse("0.0.0.0/0"));
    assertThat(CidrRange.tryParse("0.0.0.0/00")).isEqualTo(CidrRange.tryParse("0.0.0.0/0"));
    assertThat(CidrRange.tryParse("0:0:0:0:0:0:0:0/0")).isEqualTo(CidrRange.tryParse("::/0"));
    assertThat(CidrRange.parse("10.1.2.3/8").canonical()).isEqualTo("10.0.0.0/8");
    assertThat(CidrRange.parse("2001:DB8:0:0:1::1/64").canonical()).isEqualTo("2001:db8::/64");
    assertThat(CidrRange.parse("1.2.3.4/0").hashCode())
        .isEqualTo(CidrRange.parse("0.0.0.0/0").hashCode());
    assertThat(CidrRange.parse("10.0.0.0/8")).isNotEqualTo(CidrRange.parse("10.0.0.0/16"));
    assertThat(CidrRange.parse("0.0.0.0/0")).isNotEqualTo(CidrRange.parse("::/0"));
  }

  @Test
  void theCanonicalSpellingIsRfc5952ForIpv6AndKeepsTheWrittenTextApart() {
    assertThat(CidrRange.parse("2001:db8:0:0:1:0:0:1").canonical())
        .isEqualTo("2001:db8::1:0:0:1/128");
    assertThat(CidrRange.parse("2001:db8:0:1:1:1:1:1").canonical())
        .isEqualTo("2001:db8:0:1:1:1:1:1/128");
    assertThat(CidrRange.parse("::").canonical()).isEqualTo("::/128");
    assertThat(CidrRange.parse("203.0.113.7").canonical()).isEqualTo("203.0.113.7/32");
    assertThat(CidrRange.parse(" 10.1.2.3/8 ")).hasToString("10.1.2.3/8");
  }

  @Test
  void onlyPrefixLengthZeroIsTheWholeSpace() {
    assertThat(CidrRange.tryParse("255.255.255.255/0").orElseThrow().wholeSpace()).isTrue();
    assertThat(CidrRange.tryParse("::/0").orElseThrow().wholeSpace()).isTrue();
    assertThat(CidrRange.tryParse("0.0.0.0/1").orElseThrow().wholeSpace()).isFalse();
    assertThat(CidrRange.tryParse("203.0.113.7").orElseThrow().wholeSpace()).isFalse();
  }

  @Test
  void hostNamesAndMalformedTextAreNotNetworks() {
    assertThat(CidrRange.tryParse("example.com/0")).isEmpty();
    assertThat(CidrRange.tryParse("0.0.0.0/33")).isEmpty();
    assertThat(CidrRange.tryParse("::/129")).isEmpty();
    assertThat(CidrRange.tryParse("0.0.0.0/x")).isEmpty();
    assertThat(CidrRange.tryParse("")).isEmpty();
    assertThat(CidrRange.tryParse(null)).isEmpty();
  }

  @Test
  void theFamilyPrefixAndNetworkAddressAreExposed() {
    CidrRange v4 = CidrRange.parse("203.0.113.77/25");
    assertThat(v4.ipv4()).isTrue();
    assertThat(v4.prefixLength()).isEqualTo(25);
    assertThat(v4.networkAddress()).containsExactly(203, 0, 113, 0);
    CidrRange v6 = CidrRange.parse("2001:db8::/32");
    assertThat(v6.ipv4()).isFalse();
    assertThat(v6.networkAddress()).hasSize(16);
    // a copy: the range cannot be changed through it
    v4.networkAddress()[0] = 1;
    assertThat(v4.canonical()).isEqualTo("203.0.113.0/25");
  }
}
