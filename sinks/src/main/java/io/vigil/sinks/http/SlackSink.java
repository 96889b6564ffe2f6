package io.vigil.sinks.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.schemas.UntrustedText;
import io.vigil.sinks.Secret;
import io.vigil.sinks.SinkConfig;
import io.vigil.sinks.SinkContext;
import io.vigil.sinks.SinkSettings;
import io.vigil.sinks.delivery.DeliveryException;
import io.vigil.sinks.delivery.Sink;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Slack incoming webhook: a readable message per alert (severity, title, rule, entity, account,
 * region, count, compliance), at most one message per {@code min_interval} (default 1 s) per
 * webhook. When a batch holds more alerts than {@code max_individual} (default 3) (a burst that
 * would take that many seconds to send one by one), one summary message lists them instead.
 *
 * <p>Slack has no idempotency key, so the sink remembers the idempotency keys it sent recently and
 * does not repost them when the runner retries a batch that partly went out.
 */
public final class SlackSink implements Sink<Alert> {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_BATCH = 50;
  private static final int SUMMARY_LINES = 20;
  private static final int REMEMBERED = 2048;

  private final Config config;
  private final HttpReceiver receiver;
  private final SlackPacer pacer;
  private final Map<String, Boolean> recentlySent =
      new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };

  SlackSink(Config config, HttpReceiver receiver, SlackPacer pacer) {
    this.config = config;
    this.receiver = receiver;
    this.pacer = pacer;
  }

  @Override
  public int maxBatch() {
    return MAX_BATCH;
  }

  @Override
  public void deliver(List<Alert> alerts) throws DeliveryException {
    List<Alert> fresh =
        alerts.stream().filter(a -> !recentlySent.containsKey(Sink.idempotencyKey(a))).toList();
    if (fresh.isEmpty()) {
      return;
    }
    if (fresh.size() <= config.maxIndividual()) {
      for (Alert alert : fresh) {
        post(message(alert));
        recentlySent.put(Sink.idempotencyKey(alert), Boolean.TRUE);
      }
    } else {
      post(summary(fresh));
      fresh.forEach(a -> recentlySent.put(Sink.idempotencyKey(a), Boolean.TRUE));
    }
  }

  private void post(String text) throws DeliveryException {
    try {
      pacer.awaitSlot();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.retryable("interrupted", "interrupted while pacing", null);
    }
    try {
      receiver.post(MAPPER.createObjectNode().put("text", text).toString(), Map.of());
    } finally {
      // A failed post counts too: Slack rate-limits attempts, not successes.
      pacer.sent();
    }
  }

  /** The message of one alert, in Slack's mrkdwn. */
  static String message(Alert alert) {
    StringBuilder text = new StringBuilder();
    text.append(icon(alert.getSeverity()))
        .append(" *")
        .append(label(alert.getSeverity()))
        .append("* ")
        .append(escape(alert.getTitle()));
    if (alert.getUpdate() > 0) {
      text.append(" (update ").append(alert.getUpdate()).append(')');
    }
    text.append("\n*Rule:* `")
        .append(code(alert.getRuleId()))
        .append('`')
        .append("\n*Entity:* `")
        .append(code(alert.getEntity()))
        .append('`')
        .append("\n*Account:* ")
        .append(alert.getAccountId() == null ? "-" : escape(alert.getAccountId()))
        .append("  *Region:* ")
        .append(alert.getRegion() == null ? "-" : escape(alert.getRegion()))
        .append("  *Count:* ")
        .append(alert.getCount())
        .append("\n*Seen:* ")
        .append(alert.getFirstSeen())
        .append(" to ")
        .append(alert.getLastSeen());
    if (!alert.getCompliance().isEmpty()) {
      text.append("\n*Compliance:* ").append(escape(String.join(", ", alert.getCompliance())));
    }
    if (alert.getDescription() != null) {
      text.append("\n>").append(escape(alert.getDescription()));
    }
    return text.toString();
  }

  /** One message standing for a burst of alerts. */
  static String summary(List<Alert> alerts) {
    Map<Severity, Integer> bySeverity = new TreeMap<>((a, b) -> b.ordinal() - a.ordinal());
    alerts.forEach(a -> bySeverity.merge(a.getSeverity(), 1, Integer::sum));
    List<String> counts = new ArrayList<>();
    bySeverity.forEach((severity, n) -> counts.add(n + " " + severity.name()));
    StringBuilder text =
        new StringBuilder(
            ":rotating_light: *"
                + alerts.size()
                + " alerts* arrived together ("
                + String.join(", ", counts)
                + ")");
    alerts.stream()
        .sorted((a, b) -> b.getSeverity().ordinal() - a.getSeverity().ordinal())
        .limit(SUMMARY_LINES)
        .forEach(
            a ->
                text.append("\n• *")
                    .append(label(a.getSeverity()))
                    .append("* ")
                    .append(escape(a.getTitle()))
                    .append(" | `")
                    .append(code(a.getRuleId()))
                    .append("` | `")
                    .append(code(a.getEntity()))
                    .append("` | ")
                    .append(a.getAccountId() == null ? "-" : escape(a.getAccountId()))
                    .append(' ')
                    .append(a.getRegion() == null ? "-" : escape(a.getRegion()))
                    .append(" | count ")
                    .append(a.getCount())
                    .append(
                        a.getCompliance().isEmpty()
                            ? ""
                            : " | " + escape(String.join(", ", a.getCompliance()))));
    if (alerts.size() > SUMMARY_LINES) {
      text.append("\n…and ").append(alerts.size() - SUMMARY_LINES).append(" more");
    }
    return text.toString();
  }

  private static String label(Severity severity) {
    return severity.name().toUpperCase(Locale.ROOT);
  }

  private static String icon(Severity severity) {
    return switch (severity) {
      case critical -> ":red_circle:";
      case high -> ":large_orange_circle:";
      case medium -> ":large_yellow_circle:";
      case low -> ":large_blue_circle:";
      case info -> ":white_circle:";
    };
  }

  /**
   * Text from the alert, which a log writer chose: Slack's three control characters escaped (so no
   * {@code <!channel>} mention and no disguised {@code <url|label>} link), and bidirectional
   * formatting characters shown as {@code [U+202E]} rather than obeyed.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> {
          if (UntrustedText.isBidiControl(c)) {
            out.append(UntrustedText.shown(c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** As {@link #escape}, for a value inside a code span: a backtick would end it early. */
  static String code(String text) {
    return escape(text).replace('`', '\u02CB');
  }

  /**
   * Settings of a {@code slack} sink: {@code url} (the incoming webhook URL, required, secret),
   * {@code min_interval} (default 1s), {@code max_individual} (default 3), {@code timeout} (10s).
   */
  public record Config(Secret url, Duration minInterval, int maxIndividual, Duration timeout)
      implements SinkConfig {

    public static Config parse(SinkSettings s) {
      URI url = s.url("url", null, true);
      Duration interval = s.duration("min_interval", Duration.ofSeconds(1));
      int maxIndividual = s.integer("max_individual", 3, 1, MAX_BATCH);
      Duration timeout = s.duration("timeout", Duration.ofSeconds(10));
      return url == null
          ? null
          : new Config(Secret.url(url.toString()), interval, maxIndividual, timeout);
    }

    @Override
    public Sink<Alert> open(SinkContext context) {
      return new SlackSink(
          this,
          new HttpReceiver(context.http(), URI.create(url.reveal()), timeout, context.clock()),
          new SlackPacer(
              minInterval,
              System::nanoTime,
              d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000)));
    }

    @Override
    public List<Secret> secrets() {
      return List.of(url);
    }
  }
}
