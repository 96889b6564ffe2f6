package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.access.Role;
import io.vigil.app.access.User;
import io.vigil.app.access.Users;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console's sign-ins, on a clock the test moves. */
class SessionsTest {

  private static final User USER = new User("alice", Role.ANALYST, Users.sha256("a-token"));

  private final AtomicLong now = new AtomicLong();
  private final Sessions sessions =
      new Sessions(new Sessions.Settings(Duration.ofHours(12), Duration.ofHours(1), 3), now::get);

  @Test
  void idsAreRandomAnd256BitsLong() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ids.add(new Sessions(Sessions.Settings.DEFAULTS).open(USER));
    }
    assertThat(ids).hasSize(100).allMatch(id -> id.matches("[A-Za-z0-9_-]{43}"));
  }

  @Test
  void aSignInEndsAtItsTtlEvenWhenUsedAllAlong() {
    String id = sessions.open(USER);
    for (int minute = 30; minute < 12 * 60; minute += 30) {
      now.set(Duration.ofMinutes(minute).toNanos());
      assertThat(sessions.use(id)).as("after %d min", minute).isPresent();
    }
    now.set(Duration.ofHours(12).toNanos());
    assertThat(sessions.use(id)).isEmpty();
  }

  @Test
  void aSignInEndsWhenUnusedForTheIdleTime() {
    String id = sessions.open(USER);
    now.set(Duration.ofMinutes(59).toNanos());
    assertThat(sessions.use(id)).isPresent();
    now.addAndGet(Duration.ofMinutes(60).toNanos());
    assertThat(sessions.use(id)).isEmpty();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void revokedIsGoneAndOthersStay() {
    String first = sessions.open(USER);
    String second = sessions.open(USER);
    sessions.revoke(first);
    assertThat(sessions.use(first)).isEmpty();
    assertThat(sessions.use(second)).isPresent();
  }

  @Test
  void atMostMaxAreHeldAndTheOldestEndsFirst() {
    String oldest = sessions.open(USER);
    String second = sessions.open(USER);
    String third = sessions.open(USER);
    String fourth = sessions.open(USER);
    assertThat(sessions.size()).isEqualTo(3);
    assertThat(sessions.use(oldest)).isEmpty();
    assertThat(sessions.use(second)).isPresent();
    assertThat(sessions.use(third)).isPresent();
    assertThat(sessions.use(fourth)).isPresent();
  }

  @Test
  void anythingElseIsNoSignIn() {
    sessions.open(USER);
    assertThat(sessions.use("")).isEmpty();
    assertThat(sessions.use("forged")).isEmpty();
    assertThat(sessions.use("x".repeat(10_000))).isEmpty();
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

  @Test
  void aSignInSaysWhoSignedIn() {
    User viewer = new User("bob", Role.VIEWER, Users.sha256("another-token"));
    String alices = sessions.open(USER);
    String bobs = sessions.open(viewer);
    assertThat(sessions.use(alices)).containsSame(USER);
    assertThat(sessions.use(bobs)).containsSame(viewer);
  }
}
