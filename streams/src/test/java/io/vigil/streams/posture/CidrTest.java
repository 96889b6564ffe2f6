package io.vigil.streams.posture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void sameNetworkSpelledDifferentlyIsEqual() {
    assertThat(Cidr.parse("1.2.3.4/0")).isEqualTo(Cidr.parse("0.0.0.0/0"));
    assertThat(Cidr.parse("0.0.0.0/00")).isEqualTo(Cidr.parse("0.0.0.0/0"));
    assertThat(Cidr.parse("0:0:0:0:0:0:0:0/0")).isEqualTo(Cidr.parse("::/0"));
    assertThat(Cidr.parse("10.1.2.3/8").orElseThrow()).hasToString("10.0.0.0/8");
    assertThat(Cidr.parse("2001:DB8:0:0:1::1/64").orElseThrow()).hasToString("2001:db8::/64");
  }

  @Test
  void onlyPrefixLengthZeroIsTheWholeSpace() {
    assertThat(Cidr.parse("255.255.255.255/0").orElseThrow().wholeSpace()).isTrue();
    assertThat(Cidr.parse("::/0").orElseThrow().wholeSpace()).isTrue();
    assertThat(Cidr.parse("0.0.0.0/1").orElseThrow().wholeSpace()).isFalse();
    assertThat(Cidr.parse("203.0.113.7").orElseThrow().wholeSpace()).isFalse();
  }

  @Test
  void hostNamesAndMalformedTextAreNotNetworks() {
    assertThat(Cidr.parse("example.com/0")).isEmpty();
    assertThat(Cidr.parse("0.0.0.0/33")).isEmpty();
    assertThat(Cidr.parse("::/129")).isEmpty();
    assertThat(Cidr.parse("0.0.0.0/x")).isEmpty();
    assertThat(Cidr.parse("")).isEmpty();
  }
}
