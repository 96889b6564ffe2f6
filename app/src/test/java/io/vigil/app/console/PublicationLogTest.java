package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.console.PublicationLog.Publication;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicationLogTest {

  @Test
  void eachPublicationsIdIsThePositionAfterIt() {
    PublicationLog log = new PublicationLog(10);
    log.follow(0, 100);
    log.follow(1, 50);
    assertThat(log.append(0, 100, "alert", "a").id()).isEqualTo("0:101,1:50");
    assertThat(log.append(1, 52, "alert", "b").id()).isEqualTo("0:101,1:53");
    assertThat(log.position().id()).isEqualTo("0:101,1:53");
  }

  @Test
  void browserThatSawAnIdGetsExactlyWhatCameAfterIt() {
    PublicationLog log = new PublicationLog(10);
    log.follow(0, 0);
    log.follow(1, 0);
    Publication first = log.append(0, 0, "alert", "a");
    log.append(1, 0, "alert", "b");
    log.append(0, 1, "alert", "c");

    assertThat(log.after(FeedPosition.parse(first.id()).orElseThrow()).orElseThrow())
        .extracting(Publication::data)
        .containsExactly("b", "c");
    assertThat(log.after(log.position()).orElseThrow()).isEmpty();
  }

  @Test
  void idOlderThanWhatTheLogStillHoldsCannotResume() {
    PublicationLog log = new PublicationLog(2);
    log.follow(0, 0);
    Publication first = log.append(0, 0, "alert", "a");
    log.append(0, 1, "alert", "b");
    assertThat(log.after(FeedPosition.parse(first.id()).orElseThrow())).isPresent();

    log.append(0, 2, "alert", "c");
    log.append(0, 3, "alert", "d");

    assertThat(log.after(FeedPosition.parse(first.id()).orElseThrow())).isEmpty();
  }

  @Test
  void idFromBeforeTheLogStartedCannotResume() {
    PublicationLog log = new PublicationLog(10);
    log.follow(0, 500);
    log.append(0, 500, "alert", "a");
    assertThat(log.after(FeedPosition.of(Map.of(0, 499L)))).isEmpty();
    assertThat(log.after(FeedPosition.of(Map.of(0, 500L)))).isPresent();
  }

  @Test
  void idAheadOfTheTopicCannotResume() {
    PublicationLog log = new PublicationLog(10);
    log.follow(0, 0);
    log.append(0, 0, "alert", "a");
    assertThat(log.after(FeedPosition.of(Map.of(0, 7L)))).isEmpty();
  }

  @Test
  void partitionTheIdDoesNotNameIsReplayedFromItsBeginningIfHeld() {
    PublicationLog log = new PublicationLog(10);
    log.follow(0, 0);
    log.follow(1, 0);
    log.append(1, 0, "alert", "new partition");
    assertThat(log.after(FeedPosition.of(Map.of(0, 0L))).orElseThrow())
        .extracting(Publication::data)
        .containsExactly("new partition");
  }

  @Test
  void whatASnapshotMayLackIsEveryHeldPublicationInTheOrderRead() {
    PublicationLog log = new PublicationLog(2);
    log.follow(0, 0);
    log.follow(1, 0);
    log.append(0, 0, "alert", "p0-0");
    log.append(1, 0, "alert", "p1-0");
    log.append(0, 1, "alert", "p0-1");
    assertThat(log.held()).extracting(Publication::data).containsExactly("p1-0", "p0-1");
  }

  @Test
  void aPublicationTheSnapshotAlreadyShowedIsNotSentAgainButALaterUpdateOrARemovalIs() {
    PublicationLog log = new PublicationLog(10);
    log.follow(0, 0);
    Publication first = log.append(0, 0, "alert", "k", 0, "open");
    Publication second = log.append(0, 1, "alert", "k", 1, "open, updated");
    Publication removal = log.append(0, 2, "remove", "k", -1, "{}");
    Publication again = log.append(0, 3, "alert", "k", 0, "new");
    // The snapshot showed update 1 of k, acknowledged.
    Map<String, Integer> shown = new java.util.HashMap<>(Map.of("k", 1));

    assertThat(AlertStreamEndpoint.news(first, shown)).isFalse();
    assertThat(AlertStreamEndpoint.news(second, shown)).isFalse();
    assertThat(AlertStreamEndpoint.news(removal, shown)).isTrue();
    assertThat(AlertStreamEndpoint.news(again, shown)).isTrue();
    assertThat(AlertStreamEndpoint.news(log.append(0, 4, "alert", "k", 1, "later"), shown))
        .isTrue();
    assertThat(AlertStreamEndpoint.news(log.append(0, 5, "alert", "other", 0, "x"), shown))
        .isTrue();
  }

  @Test
  void idsThisServerDidNotWriteAreNotPositions() {
    assertThat(FeedPosition.parse(null)).isEmpty();
    assertThat(FeedPosition.parse("")).isEmpty();
    assertThat(FeedPosition.parse("abc")).isEmpty();
    assertThat(FeedPosition.parse("0:1,0:2")).isEmpty();
    assertThat(FeedPosition.parse("0:-1")).isEmpty();
    assertThat(FeedPosition.parse("1:5,0:3").orElseThrow().id()).isEqualTo("0:3,1:5");
  }
}
