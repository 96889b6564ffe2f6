package io.vigil.sinks.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.Alert;
import io.vigil.schemas.TriageChange;
import io.vigil.sinks.Secret;
import io.vigil.sinks.SinkConfig;
import io.vigil.sinks.SinkContext;
import io.vigil.sinks.SinkSettings;
import io.vigil.sinks.delivery.DeliveryException;
import io.vigil.sinks.delivery.FindingSink;
import io.vigil.sinks.delivery.Sink;
import io.vigil.sinks.delivery.TriageFindings;
import io.vigil.sinks.render.AlertFormat;
import io.vigil.sinks.render.Finding;
import io.vigil.sinks.render.RenderingConfig;
import io.vigil.sinks.render.Workflow;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Splunk HTTP Event Collector: batches of up to {@code batch_size} alerts per request to {@code
 * /services/collector/event}, each event with {@code time} = the alert's {@code first_seen} (epoch
 * seconds), the configured {@code index}, {@code source} and {@code sourcetype} (default {@code
 * vigil:alert}), and the idempotency key as the indexed field {@code vigil_idempotency_key} (HEC
 * has no request-level key; searches dedup on it). Authorisation is {@code Splunk <token>}.
 */
public final class SplunkHecSink implements FindingSink {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String COLLECTOR_PATH = "/services/collector/event";

  private final Config config;
  private final HttpReceiver receiver;
  private final RenderingConfig.AlertRendering rendering;
  private final Workflow.Lookup workflows;
  // HEC wants a channel when indexer acknowledgement is on; one per sink instance is enough.
  private final String channel = UUID.randomUUID().toString();

  SplunkHecSink(Config config, SinkContext context) {
    this.config = config;
    this.receiver =
        new HttpReceiver(
            context.http(), collectorUrl(config.url()), config.timeout(), context.clock());
    this.rendering = config.rendering().renderer();
    this.workflows = context.workflows();
  }

  @Override
  public Workflow.Lookup workflows() {
    return workflows;
  }

  /**
   * The event endpoint: {@code url} as given when it names a collector path, else with the path
   * added.
   */
  static URI collectorUrl(URI url) {
    String path = url.getPath();
    if (path != null && path.contains("/services/collector")) {
      return url;
    }
    String base = url.toString().replaceAll("/+$", "");
    return URI.create(base + COLLECTOR_PATH);
  }

  @Override
  public int maxBatch() {
    return config.batchSize();
  }

  @Override
  public void send(List<Finding> findings) throws DeliveryException {
    StringBuilder body = new StringBuilder();
    for (Finding finding : findings) {
      body.append(event(finding)).append('\n');
    }
    receiver.post(
        body.toString(),
        Map.of(
            "Authorization",
            "Splunk " + config.token().reveal(),
            "X-Splunk-Request-Channel",
            channel));
  }

  private String event(Finding finding) throws DeliveryException {
    Alert alert = finding.alert();
    ObjectNode event = MAPPER.createObjectNode();
    try {
      Instant first = Instant.parse(alert.getFirstSeen());
      event.put("time", BigDecimal.valueOf(first.toEpochMilli()).movePointLeft(3));
    } catch (DateTimeParseException e) {
      throw DeliveryException.fatal("render_failed", "first_seen is not an ISO-8601 time");
    }
    if (alert.getAccountId() != null) {
      event.put("host", alert.getAccountId());
    }
    event.put("source", config.source());
    event.put("sourcetype", config.sourcetype());
    if (config.index() != null) {
      event.put("index", config.index());
    }
    try {
      event.set("event", MAPPER.readTree(rendering.render(alert, finding.workflow())));
    } catch (JsonProcessingException e) {
      throw DeliveryException.fatal("render_failed", "the rendering is not JSON");
    }
    ObjectNode fields = event.putObject("fields");
    fields.put("vigil_idempotency_key", finding.idempotencyKey());
    fields.put("rule_id", alert.getRuleId());
    fields.put("severity", alert.getSeverity().name());
    return event.toString();
  }

  /**
   * Settings of a {@code splunk-hec} sink: {@code url} (required: the HEC base URL or the full
   * collector URL), {@code token} (required, secret), {@code index}, {@code source} (default {@code
   * vigil}), {@code sourcetype} (default {@code vigil:alert}), {@code batch_size} (default 100),
   * {@code format} (default {@code alert}) with the ASFF keys, {@code timeout} (default 10s).
   */
  public record Config(
      URI url,
      Secret token,
      String index,
      String source,
      String sourcetype,
      int batchSize,
      RenderingConfig rendering,
      Duration timeout)
      implements SinkConfig {

    public static Config parse(SinkSettings s) {
      URI url = s.url("url", null, false);
      Secret token = s.secret("token", true);
      String index = s.string("index", null);
      String source = s.string("source", "vigil");
      String sourcetype = s.string("sourcetype", "vigil:alert");
      int batch = s.integer("batch_size", 100, 1, 10_000);
      RenderingConfig rendering = RenderingConfig.parse(s, AlertFormat.ALERT);
      Duration timeout = s.duration("timeout", Duration.ofSeconds(10));
      return url == null || token == null
          ? null
          : new Config(url, token, index, source, sourcetype, batch, rendering, timeout);
    }

    @Override
    public Sink<Alert> open(SinkContext context) {
      return new SplunkHecSink(this, context);
    }

    @Override
    public Sink<TriageChange> openTriage(SinkContext context) {
      return rendering.followsTriage()
          ? new TriageFindings(new SplunkHecSink(this, context))
          : null;
    }

    @Override
    public List<Secret> secrets() {
      return List.of(token);
    }
  }
}
