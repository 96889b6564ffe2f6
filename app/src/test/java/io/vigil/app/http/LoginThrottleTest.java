package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Throttling of wrong tokens per client address, on a clock the test moves. */
class LoginThrottleTest {

  private final AtomicLong now = new AtomicLong();
  private final LoginThrottle throttle = new LoginThrottle(now::get, 100);

  @Test
  void afterFiveFailuresTheAddressWaitsAndEachFurtherFailureDoublesTheWait() throws Exception {
    InetAddress guesser = InetAddress.getByName("203.0.113.7");
    for (int i = 0; i < 4; i++) {
      throttle.failed(guesser);
    }
    assertThat(throttle.wait(guesser)).isEmpty();
    throttle.failed(guesser);
    assertThat(throttle.wait(guesser)).contains(Duration.ofSeconds(30));

    advance(Duration.ofSeconds(30));
    assertThat(throttle.wait(guesser)).isEmpty();
    throttle.failed(guesser);
    assertThat(throttle.wait(guesser)).contains(Duration.ofSeconds(60));
    advance(Duration.ofSeconds(60));
    throttle.failed(guesser);
    assertThat(throttle.wait(guesser)).contains(Duration.ofSeconds(120));
    for (int i = 0; i < 10; i++) {
      advance(throttle.wait(guesser).orElseThrow());
      throttle.failed(guesser);
    }
    assertThat(throttle.wait(guesser)).contains(LoginThrottle.MAX_WAIT);
  }

  @Test
  void aRightTokenClearsTheFailures() throws Exception {
    InetAddress analyst = InetAddress.getByName("198.51.100.4");
    for (int i = 0; i < 4; i++) {
      throttle.failed(analyst);
    }
    throttle.succeeded(analyst);
    for (int i = 0; i < 4; i++) {
      throttle.failed(analyst);
    }
    assertThat(throttle.wait(analyst)).isEmpty();
  }

  @Test
  void failuresAreForgottenAfterAnHourWithoutOne() throws Exception {
    InetAddress typist = InetAddress.getByName("198.51.100.5");
    for (int i = 0; i < 4; i++) {
      throttle.failed(typist);
    }
    advance(LoginThrottle.FORGET_AFTER);
    throttle.failed(typist);
    assertThat(throttle.wait(typist)).isEmpty();
  }

  @Test
  void oneAddressDoesNotHoldUpAnother() throws Exception {
    InetAddress guesser = InetAddress.getByName("203.0.113.7");
    for (int i = 0; i < 5; i++) {
      throttle.failed(guesser);
    }
    assertThat(throttle.wait(InetAddress.getByName("203.0.113.8"))).isEmpty();
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() throws Exception {
    for (int i = 1; i <= 5; i++) {
      throttle.failed(InetAddress.getByName("2001:db8:1:2::" + i));
    }
    assertThat(throttle.wait(InetAddress.getByName("2001:db8:1:2:ffff::9"))).isPresent();
    assertThat(throttle.wait(InetAddress.getByName("2001:db8:1:3::1"))).isEmpty();
    assertThat(LoginThrottle.key(InetAddress.getByName("2001:db8:1:2::5")))
        .isEqualTo("2001:db8:1:2::/64");
  }

  @Test
  void theTableIsBoundedWhateverTheNumberOfAddresses() throws Exception {
    for (int i = 0; i < 1000; i++) {
      throttle.failed(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}));
    }
    assertThat(throttle.size()).isEqualTo(100);
  }

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }
}
