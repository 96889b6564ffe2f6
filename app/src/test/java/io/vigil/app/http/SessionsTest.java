package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console's sign-ins, on a clock the test moves. */
class SessionsTest {

  private final AtomicLong now = new AtomicLong();
  private final Sessions sessions =
      new Sessions(new Sessions.Settings(Duration.ofHours(12), Duration.ofHours(1), 3), now::get);

  @Test
  void idsAreRandomAnd256BitsLong() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ids.add(new Sessions(Sessions.Settings.DEFAULTS).open());
    }
    assertThat(ids).hasSize(100).allMatch(id -> id.matches("[A-Za-z0-9_-]{43}"));
  }

  @Test
  void aSignInEndsAtItsTtlEvenWhenUsedAllAlong() {
    String id = sessions.open();
    for (int minute = 30; minute < 12 * 60; minute += 30) {
      now.set(Duration.ofMinutes(minute).toNanos());
      assertThat(sessions.use(id)).as("after %d min", minute).isTrue();
    }
    now.set(Duration.ofHours(12).toNanos());
    assertThat(sessions.use(id)).isFalse();
  }

  @Test
  void aSignInEndsWhenUnusedForTheIdleTime() {
    String id = sessions.open();
    now.set(Duration.ofMinutes(59).toNanos());
    assertThat(sessions.use(id)).isTrue();
    now.addAndGet(Duration.ofMinutes(60).toNanos());
    assertThat(sessions.use(id)).isFalse();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void revokedIsGoneAndOthersStay() {
    String first = sessions.open();
    String second = sessions.open();
    sessions.revoke(first);
    assertThat(sessions.use(first)).isFalse();
    assertThat(sessions.use(second)).isTrue();
  }

  @Test
  void atMostMaxAreHeldAndTheOldestEndsFirst() {
    String oldest = sessions.open();
    String second = sessions.open();
    String third = sessions.open();
    String fourth = sessions.open();
    assertThat(sessions.size()).isEqualTo(3);
    assertThat(sessions.use(oldest)).isFalse();
    assertThat(sessions.use(second)).isTrue();
    assertThat(sessions.use(third)).isTrue();
    assertThat(sessions.use(fourth)).isTrue();
  }

  @Test
  void anythingElseIsNoSignIn() {
    sessions.open();
    assertThat(sessions.use("")).isFalse();
    assertThat(sessions.use("forged")).isFalse();
    assertThat(sessions.use("x".repeat(10_000))).isFalse();
  }

  @Test
  void settingsOutOfRangeNameTheirKey() {
    assertThatThrownBy(() -> new Sessions.Settings(Duration.ZERO, Duration.ofHours(1), 1))
        .hasMessage("http.session.ttl: expected a duration above 0, got 0s");
    assertThatThrownBy(() -> new Sessions.Settings(Duration.ofHours(1), Duration.ZERO, 1))
        .hasMessage("http.session.idle: expected a duration above 0, got 0s");
    assertThatThrownBy(() -> new Sessions.Settings(Duration.ofHours(1), Duration.ofHours(1), 0))
        .hasMessage("http.session.max: expected at least 1, got 0");
  }
}
