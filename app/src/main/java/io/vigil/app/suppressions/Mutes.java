package io.vigil.app.suppressions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.app.runtime.TopicMirror;
import io.vigil.schemas.RecordJson;
import io.vigil.schemas.Suppression;
import io.vigil.schemas.SuppressionScope;
import io.vigil.schemas.Topic;
import io.vigil.streams.alerts.AlertMutes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutes of alerts, shared by every instance and kept forever: each mute is a record on the
 * suppressions topic, written when made and again when removed, read whole by every instance
 * ({@link TopicMirror}). The detection asks, as it publishes each alert, which mute in force covers
 * it ({@link AlertMutes}); the alert is still raised, counted and kept, marked {@code muted_by},
 * and the sinks do not deliver it. Mutes end by themselves at their {@code until} (wall-clock).
 */
public final class Mutes implements AlertMutes, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Mutes.class);

  private final Topic<String, Suppression> topic;
  private final TopicMirror<Suppression> mirror;
  private final Map<String, Suppression> byId = new ConcurrentHashMap<>();
  private final Clock clock;
  private final MeterRegistry metrics;

  public Mutes(
      Map<String, Object> clientProperties,
      String clientId,
      Topic<String, Suppression> topic,
      MeterRegistry metrics,
      Clock clock) {
    this.topic = topic;
    this.metrics = metrics;
    this.clock = clock;
    this.mirror = new TopicMirror<>(clientProperties, clientId, topic, byId::put);
  }

  /** Reads every mute made so far (for at most {@code catchUp}), then follows the topic. */
  public void start(Duration catchUp) {
    mirror.start(catchUp);
    log.info("Mutes read from {}: {} in force of {}", topic.name(), inForce().size(), byId.size());
  }

  @Override
  public Optional<String> mutedBy(String ruleId, String accountId, String entity) {
    Optional<String> id =
        covering(byId.values(), ruleId, accountId, entity, clock.instant())
            .map(Suppression::getSuppressionId);
    id.ifPresent(
        muted ->
            Counter.builder("vigil.alerts.muted")
                .description("Alert publications muted by a suppression (kept, not delivered)")
                .tag("rule", ruleId)
                .register(metrics)
                .increment());
    return id;
  }

  /**
   * The mute among {@code mutes} in force at {@code now} that covers an alert of this rule, account
   * and entity: the one made first, so the answer does not change as others are added.
   */
  static Optional<Suppression> covering(
      Collection<Suppression> mutes, String ruleId, String accountId, String entity, Instant now) {
    return mutes.stream()
        .filter(s -> inForce(s, now))
        .filter(s -> s.getRuleId().equals(ruleId))
        .filter(
            s ->
                switch (s.getScope()) {
                  case everywhere -> true;
                  case account -> s.getValue() != null && s.getValue().equals(accountId);
                  case entity -> s.getValue() != null && s.getValue().equals(entity);
                })
        .min(
            Comparator.comparing(Suppression::getCreatedAt)
                .thenComparing(Suppression::getSuppressionId));
  }

  // Asked from the detection's threads for every alert publication: a record that is not what the
  // API writes (an unreadable end) mutes nothing rather than failing the detection.
  static boolean inForce(Suppression s, Instant now) {
    try {
      return s.getRemovedAt() == null && Instant.parse(s.getUntil()).isAfter(now);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Every mute ever made, the newest first. */
  public List<Suppression> all() {
    return byId.values().stream()
        .sorted(Comparator.comparing(Suppression::getCreatedAt).reversed())
        .toList();
  }

  private List<Suppression> inForce() {
    Instant now = clock.instant();
    return byId.values().stream().filter(s -> inForce(s, now)).toList();
  }

  /** A mute as the API writes it, with whether it is in force now. */
  public ObjectNode json(Suppression suppression) {
    return RecordJson.toJson(suppression).put("in_force", inForce(suppression, clock.instant()));
  }

  /**
   * Makes a mute and returns it once this instance has read it back.
   *
   * @throws IllegalStateException when the cluster does not take it in time
   */
  public Suppression mute(
      String ruleId,
      SuppressionScope scope,
      String value,
      Duration duration,
      String reason,
      String by,
      Duration timeout)
      throws InterruptedException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Suppression suppression =
        Suppression.newBuilder()
            .setSuppressionId(UUID.randomUUID().toString())
            .setRuleId(ruleId)
            .setScope(scope)
            .setValue(scope == SuppressionScope.everywhere ? null : value)
            .setCreatedAt(now.toString())
            .setCreatedBy(by)
            .setUntil(now.plus(duration).toString())
            .setReason(reason)
            .build();
    mirror.write(suppression.getSuppressionId(), suppression, timeout);
    return suppression;
  }

  /**
   * Ends the mute {@code id} before its time; empty when there is no such mute in force.
   *
   * @throws IllegalStateException when the cluster does not take the removal in time
   */
  public Optional<Suppression> remove(String id, String by, Duration timeout)
      throws InterruptedException {
    Suppression current = byId.get(id);
    if (current == null || !inForce(current, clock.instant())) {
      return Optional.empty();
    }
    Suppression removed =
        Suppression.newBuilder(current)
            .setRemovedAt(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
            .setRemovedBy(by)
            .build();
    mirror.write(id, removed, timeout);
    return Optional.of(removed);
  }

  @Override
  public void close() {
    mirror.close();
  }
}
