package io.vigil.sinks.http;

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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic JSON POST per alert ({@code format: alert|ocsf|asff}). Every request carries {@code
 * Idempotency-Key: <dedup_key>:<update>} so that a receiver can drop the duplicates of
 * at-least-once delivery, and, when a {@code secret} is set, {@code X-Vigil-Signature:
 * sha256=<hex>}: the HMAC-SHA256 of the exact body bytes under the secret, for the receiver to
 * check that the request came from Vigil. Custom {@code headers} are added as given.
 */
public final class WebhookSink implements FindingSink {

  /** The signature header. */
  public static final String SIGNATURE_HEADER = "X-Vigil-Signature";

  /** The idempotency key header. */
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  // Headers the JDK client sets itself and refuses from callers.
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final Config config;
  private final HttpReceiver receiver;
  private final RenderingConfig.AlertRendering rendering;
  private final Workflow.Lookup workflows;

  WebhookSink(Config config, SinkContext context) {
    this.config = config;
    this.receiver =
        new HttpReceiver(
            context.http(), URI.create(config.url().reveal()), config.timeout(), context.clock());
    this.rendering = config.rendering().renderer();
    this.workflows = context.workflows();
  }

  @Override
  public Workflow.Lookup workflows() {
    return workflows;
  }

  @Override
  public void send(List<Finding> findings) throws DeliveryException {
    Finding finding = findings.get(0);
    String body = rendering.render(finding.alert(), finding.workflow());
    Map<String, String> headers = new LinkedHashMap<>();
    config.headers().forEach((name, value) -> headers.put(name, value.reveal()));
    headers.put(IDEMPOTENCY_HEADER, finding.idempotencyKey());
    headers.put("X-Vigil-Format", config.rendering().format().toString());
    if (config.secret() != null) {
      headers.put(SIGNATURE_HEADER, "sha256=" + sign(config.secret(), body));
    }
    receiver.post(body, headers);
  }

  /**
   * {@code hex(HMAC-SHA256(secret, body as UTF-8))}: what a receiver recomputes to verify a
   * request.
   */
  public static String sign(Secret secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * Settings of a {@code webhook} sink: {@code url} (required; treated as a secret), {@code format}
   * (default {@code alert}) with the ASFF keys, {@code secret} (HMAC key, optional), {@code
   * headers} (map; values treated as secrets), {@code timeout} (default 10s).
   */
  public record Config(
      Secret url,
      RenderingConfig rendering,
      Secret secret,
      Map<String, Secret> headers,
      Duration timeout)
      implements SinkConfig {

    public static Config parse(SinkSettings s) {
      URI url = s.url("url", null, true);
      RenderingConfig rendering = RenderingConfig.parse(s, AlertFormat.ALERT);
      Secret secret = s.secret("secret", false);
      Map<String, Secret> headers = s.secretMap("headers");
      for (String name : headers.keySet()) {
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
          s.problem("headers." + name, "is set by the HTTP client and cannot be configured");
        }
      }
      Duration timeout = s.duration("timeout", Duration.ofSeconds(10));
      return url == null
          ? null
          : new Config(Secret.url(url.toString()), rendering, secret, headers, timeout);
    }

    @Override
    public Sink<Alert> open(SinkContext context) {
      return new WebhookSink(this, context);
    }

    @Override
    public Sink<TriageChange> openTriage(SinkContext context) {
      return rendering.followsTriage() ? new TriageFindings(new WebhookSink(this, context)) : null;
    }

    @Override
    public List<Secret> secrets() {
      List<Secret> out = new ArrayList<>(headers.values());
      out.add(url);
      if (secret != null) {
        out.add(secret);
      }
      return out;
    }
  }
}
