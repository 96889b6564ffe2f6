package io.vigil.sinks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.sinks.ReceiverStub;
import io.vigil.sinks.Secret;
import io.vigil.sinks.TestAlerts;
import io.vigil.sinks.delivery.DeliveryException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackSinkTest {

  private ReceiverStub slack;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Duration> sleeps = new ArrayList<>();
  private SlackSink sink;

  @BeforeEach
  void start() throws Exception {
    slack = new ReceiverStub();
    SlackSink.Config config =
        new SlackSink.Config(
            Secret.of(slack.url("/services/T/B/X").toString()),
            Duration.ofSeconds(1),
            3,
            Duration.ofSeconds(5));
    // A fake clock that moves only when the pacer sleeps: the timing below is exact.
    SlackPacer pacer =
        new SlackPacer(
            config.minInterval(),
            now::get,
            d -> {
              sleeps.add(d);
              now.addAndGet(d.toNanos());
            });
    sink =
        new SlackSink(
            config,
            new HttpReceiver(
                HttpClient.newHttpClient(),
                slack.url("/services/T/B/X"),
                config.timeout(),
                Clock.systemUTC()),
            pacer);
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void messagesToOneWebhookAreAtLeastASecondApart() throws Exception {
    sink.deliver(List.of(TestAlerts.numbered(1, "r1", Severity.high)));
    now.addAndGet(Duration.ofMillis(300).toNanos());
    sink.deliver(List.of(TestAlerts.numbered(2, "r1", Severity.high)));
    now.addAndGet(Duration.ofMillis(1500).toNanos());
    sink.deliver(List.of(TestAlerts.numbered(3, "r1", Severity.high)));

    assertThat(slack.requests()).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(700));
  }

  @Test
  void aFewAlertsTogetherGoOneByOnePaced() throws Exception {
    sink.deliver(
        IntStream.range(0, 3).mapToObj(i -> TestAlerts.numbered(i, "r", Severity.low)).toList());

    assertThat(slack.requests()).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void aBurstBecomesOneSummaryMessage() throws Exception {
    List<Alert> burst =
        IntStream.range(0, 25)
            .mapToObj(
                i ->
                    TestAlerts.numbered(
                        i, "rule-" + i, i == 7 ? Severity.critical : Severity.medium))
            .toList();

    sink.deliver(burst);

    assertThat(slack.requests()).hasSize(1);
    String body = slack.requests().get(0).body();
    assertThat(body)
        .contains("25 alerts")
        .contains("1 critical")
        .contains("24 medium")
        .contains("and 5 more");
    // The critical one is listed first.
    assertThat(body.indexOf("rule-7")).isLessThan(body.indexOf("rule-0"));
  }

  @Test
  void messageIsReadableAndCarriesTheAlertFacts() {
    String text = SlackSink.message(TestAlerts.updated(TestAlerts.stopLogging(), 2));

    assertThat(text)
        .contains(
            "*HIGH*",
            "CloudTrail logging stopped",
            "aws-cloudtrail-stop-logging",
            "arn:aws:iam::111122223333:user/alice",
            "111122223333",
            "eu-west-1",
            "*Count:* 3",
            "CIS-AWS 3.1",
            "update 2");
  }

  @Test
  void fieldsALogWriterChoseCannotMentionLinkOrFormat() {
    Alert alert = TestAlerts.stopLogging();
    alert.setAccountId("<!channel>");
    alert.setEntity("x` *bold* <https://evil.example|aws.amazon.com> \u202Eexe.pdf");
    for (String text : List.of(SlackSink.message(alert), SlackSink.summary(List.of(alert)))) {
      assertThat(text)
          .doesNotContain("<!channel>", "<https://evil.example", "x`")
          .contains("&lt;!channel&gt;", "&lt;https://evil.example|aws.amazon.com&gt;")
          .contains("[U+202E]exe.pdf");
    }
  }

  @Test
  void aRetriedBatchDoesNotRepostWhatAlreadyWentOut() throws Exception {
    slack.answer(n -> n == 1 ? ReceiverStub.Answer.of(503) : ReceiverStub.Answer.of(200));
    List<Alert> two =
        List.of(
            TestAlerts.numbered(1, "r", Severity.high), TestAlerts.numbered(2, "r", Severity.high));

    try {
      sink.deliver(two);
    } catch (DeliveryException e) {
      assertThat(e.retryable()).isTrue();
    }
    sink.deliver(two);

    assertThat(slack.requests())
        .extracting(ReceiverStub.Request::body)
        .filteredOn(b -> b.contains("203.0.113.1`"))
        .hasSize(1);
    assertThat(slack.requests()).hasSize(3);
  }
}
