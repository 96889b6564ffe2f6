package io.vigil.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

  @Test
  void parsesTheNetworkWithHostBitsCleared() {
    assertThat(AddressRange.parse("203.0.113.77/25")).isEqualTo(new AddressRange(0xCB007100L, 25));
    assertThat(AddressRange.parse(" 10.1.2.3/8 ")).isEqualTo(new AddressRange(0x0A000000L, 8));
    assertThat(AddressRange.parse("1.2.3.4/0")).isEqualTo(new AddressRange(0, 0));
  }

  @Test
  void picksAHostOfTheRangeNeverItsNetworkOrBroadcastAddress() {
    AddressRange range = AddressRange.parse("198.51.100.0/30");
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 50; i++) {
      assertThat(range.pick(random)).isIn("198.51.100.1", "198.51.100.2");
    }
  }

  @Test
  void refusesAnythingButAnIpv4NetworkOfAtLeastTwoHosts() {
    for (String bad :
        new String[] {
          "203.0.113.0",
          "2001:db8::/32",
          "203.0.113/24",
          "300.0.113.0/24",
          "example.com/24",
          "203.0.113.0/x",
          "203.0.113.0/"
        }) {
      assertThatThrownBy(() -> AddressRange.parse(bad))
          .as(bad)
          .hasMessage("expected an IPv4 CIDR such as 203.0.113.0/25, got '" + bad + "'");
    }
    for (String bad :
        new String[] {"203.0.113.0/31", "203.0.113.0/32", "203.0.113.0/33", "203.0.113.0/-1"}) {
      assertThatThrownBy(() -> AddressRange.parse(bad))
          .as(bad)
          .hasMessage("the prefix length of '" + bad + "' must be 0 to 30");
    }
  }
}
